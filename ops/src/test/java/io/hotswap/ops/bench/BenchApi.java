package io.hotswap.ops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server's API as the benchmarks call it, as {@code adminToken} unless a token is given. */
record BenchApi(HttpClient http, String base, String adminToken) {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, String body) {
        Answer expect(int wanted) {
            if (status != wanted) throw new IllegalStateException("expected " + wanted + ", got " + status + ": " + body);
            return this;
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    JsonNode health() throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    Answer register(String pluginId, String version, byte[] binary) throws Exception {
        return register(pluginId, version, binary, adminToken);
    }

    Answer register(String pluginId, String version, byte[] binary, String token) throws Exception {
        String boundary = "bench" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(binary.length + 1024);
        for (Map.Entry<String, String> field : Map.of("pluginId", pluginId, "name", pluginId, "version", version).entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"binary\"; filename=\"p.jar\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(binary);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/plugins"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    Answer get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    Answer postJson(String path, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    CompletableFuture<HttpResponse<Void>> changeStatusAsync(String pluginId, String status, String token) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/plugins/" + pluginId + "/versions/1.0.0/status"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\": \"" + status + "\"}")).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** A timer's cumulative histogram: bucket upper bound (seconds; +Inf as infinity) to count. */
    Map<Double, Double> buckets(String managementPort, String timer, String store) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<Double, Double> buckets = new TreeMap<>();
        Matcher le = Pattern.compile("le=\"([^\"]+)\"").matcher("");
        for (String line : text.split("\n")) {
            if (!line.startsWith(timer + "_bucket{") || !line.contains("store=\"" + store + "\"") || !le.reset(line).find()) continue;
            buckets.put(le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1)),
                    Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
        }
        if (buckets.isEmpty()) throw new IllegalStateException("no " + timer + "_bucket{store=" + store + "} on /actuator/prometheus");
        return buckets;
    }
}
