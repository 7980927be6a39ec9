package io.hotswap.ops.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** A real HTTP client for the server under test, speaking as a token holder. */
public final class Http {

    /** A response: status, content type, raw body, and the body as JSON when it is JSON. */
    public record Response(int status, String contentType, byte[] bytes, HttpResponse<byte[]> raw) {

        public JsonNode json() {
            try {
                return MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
            }
        }

        public String bodyText() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** One part of a multipart body: a text field, or a file when {@code filename} is set. */
    public record Part(String name, String filename, byte[] content) {

        public static Part text(String name, String value) {
            return new Part(name, null, value.getBytes(StandardCharsets.UTF_8));
        }

        public static Part file(String name, String filename, byte[] content) {
            return new Part(name, filename, content);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final String base;

    public Http(int port) {
        this.base = "http://localhost:" + port;
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    /** Reads a server-sent event stream to its end and returns its lines; {@code lastEventId} may be null. */
    public List<String> streamLines(String path, String token, String lastEventId, Duration timeout) {
        HttpRequest.Builder request = request(path, token).header("Accept", "text/event-stream").timeout(timeout).GET();
        if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofLines()).body().toList();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("stream failed: " + e, e);
        }
    }

    /** GETs {@code path} and hands over the body as it arrives, for reading a long stream bit by bit. */
    public HttpResponse<InputStream> open(String path, String token) {
        try {
            return CLIENT.send(request(path, token).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    /** POSTs {@code body} with the given content type; null sends no Content-Type header at all. */
    public Response post(String path, String token, String contentType, String body) {
        HttpRequest.Builder request = request(path, token).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) request.header("Content-Type", contentType);
        return send(request);
    }

    public Response postJson(String path, String token, String json) {
        return post(path, token, "application/json", json);
    }

    public Response postMultipart(String path, String token, Part... parts) {
        String boundary = "----hotswap" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Part part : parts) {
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name() + "\"");
            if (part.filename() != null) {
                write(body, "; filename=\"" + part.filename() + "\"\r\nContent-Type: application/octet-stream");
            }
            write(body, "\r\n\r\n");
            body.writeBytes(part.content());
            write(body, "\r\n");
        }
        write(body, "--" + boundary + "--\r\n");
        return send(request(path, token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return request;
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body(), response);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
