package io.hotswap.ops.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * What Jaeger's OTLP receiver does, in the test JVM: {@code POST /v1/traces} with an {@code ExportTraceServiceRequest}
 * in protobuf, as OpenTelemetry's HTTP exporter sends it. Keeps every span it was sent.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** A received span: ids in hex, as Jaeger shows them; {@code parentSpanId} empty for a trace's root. */
    public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name,
                               Map<String, String> attributes) {
    }

    private static final HexFormat HEX = HexFormat.of();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "otlp-receiver"));
    private final ConcurrentLinkedQueue<ReceivedSpan> spans = new ConcurrentLinkedQueue<>();

    private OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", this::receive);
        server.setExecutor(executor);
        server.start();
    }

    public static OtlpReceiver start() throws IOException {
        return new OtlpReceiver();
    }

    /** The URL to export to, as {@code Telemetry.Jaeger.Endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) body = new GZIPInputStream(body);
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            request.getResourceSpansList().forEach(resource -> resource.getScopeSpansList().forEach(scope ->
                    scope.getSpansList().forEach(span -> spans.add(new ReceivedSpan(
                            HEX.formatHex(span.getTraceId().toByteArray()), HEX.formatHex(span.getSpanId().toByteArray()),
                            HEX.formatHex(span.getParentSpanId().toByteArray()), span.getName(),
                            span.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey,
                                    attribute -> text(attribute.getValue()), (first, second) -> first)))))));
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString();
        };
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
