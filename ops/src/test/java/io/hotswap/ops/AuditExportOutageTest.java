package io.hotswap.ops;

import io.hotswap.ops.support.CuttableProxy;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.ops.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An audit export whose database goes away: before the first line the answer is a 503 to retry; after it the
 * connection is cut, so the client sees the stream end incomplete and resumes after the last whole line it got.
 */
class AuditExportOutageTest {

    /**
     * Far more NDJSON than the loopback connection buffers, so the export is still writing when the link is cut. (Which
     * failure the export then meets depends on timing; BrokenOffAnswerTest holds the one Spring mistook for a client
     * that went away.)
     */
    private static final int EVENTS = 10_000;

    @TempDir
    Path data;

    @Test
    void aStreamThatLosesTheDatabaseEndsIncompleteAndOneThatCannotStartIsA503() throws Exception {
        String url = TestDatabase.create();
        URI direct = URI.create(url.substring("jdbc:".length()));
        try (CuttableProxy link = new CuttableProxy(direct.getHost(), direct.getPort());
             ConfigurableApplicationContext server = TestServers.start(
                     "--spring.datasource.url=" + url.replace(direct.getHost() + ":" + direct.getPort(), link.address()),
                     "--Data.Directory=" + data)) {
            Http http = TestServers.http(server);
            String admin = TestServers.admin(server);
            storeViolations(url);

            HttpResponse<InputStream> stream = http.open("/api/v1/audit/events", admin);
            assertThat(stream.statusCode()).isEqualTo(200);
            List<String> received = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                received.add(lines.readLine());
                link.cut();
                assertThatThrownBy(() -> {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) received.add(line);
                }).isInstanceOf(IOException.class);
            }
            assertThat(received.size()).isBetween(1, EVENTS - 1);
            assertThat(received).allSatisfy(line -> assertThat(line).startsWith("{\"position\":").endsWith("}"));

            Http.Response refused = http.get("/api/v1/audit/events", admin);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().get("type").asText()).isEqualTo("urn:hotswap:problem:database-unavailable");
            assertThat(refused.header("Retry-After")).isNotBlank();
        }
    }

    /** Security violations with a 2 KB path each, stored straight into the event store beside the server. */
    private static void storeViolations(String url) throws Exception {
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.createStatement().execute("""
                    INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                                                    time_stamp, payload_type, payload_revision, payload, meta_data)
                    SELECT id, id, 0, NULL, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                           'io.hotswap.api.audit.SecurityViolationDetected', '1',
                           convert_to('{"principal":"eve","principalTenantId":"tenant-b","tenantId":"tenant-a",'
                                      || '"method":"GET","path":"/' || repeat('x', 2000) || '"}', 'UTF8'),
                           convert_to('{"principal":"eve","correlationId":"' || id || '"}', 'UTF8')
                    FROM (SELECT gen_random_uuid()::text AS id FROM generate_series(1, %d)) violations""".formatted(EVENTS));
        }
    }
}
