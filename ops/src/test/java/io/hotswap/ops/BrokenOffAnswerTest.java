package io.hotswap.ops;

import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.TestDatabase;
import io.hotswap.ops.support.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import unscanned.BrokenStreamController;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An answer that fails after it has begun ends with a cut connection, never as if it were complete, even when the
 * failure looks like a client that went away (which Spring answers by ending the response normally).
 */
class BrokenOffAnswerTest {

    @TempDir
    Path data;

    @Test
    void aStreamWhoseSourceFailsEndsWithABrokenConnection() throws Exception {
        try (ConfigurableApplicationContext server = TestServers.start(BrokenStreamController.class,
                "--spring.datasource.url=" + TestDatabase.create(), "--Data.Directory=" + data)) {
            HttpResponse<InputStream> stream = TestServers.http(server).open(BrokenStreamController.PATH,
                    TestServers.admin(server));
            assertThat(stream.statusCode()).isEqualTo(200);
            List<String> received = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                assertThatThrownBy(() -> {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) received.add(line);
                }).isInstanceOf(IOException.class);
            }
            // Java's client drops what it holds unread once the connection fails, so fewer lines may arrive; none cut
            assertThat(received).hasSizeLessThanOrEqualTo(BrokenStreamController.LINES)
                    .allSatisfy(line -> assertThat(line).matches("\\{\"line\":\\d+}"));
        }
    }
}
