package io.hotswap.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.ops.bench.OrchestrationBenchmark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line: which arguments start the server, the usage, and the refusals of the commands' options. */
class CliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void clear() {
        System.clearProperty("JWT_SECRET");
    }

    @Test
    void onlyOptionsStartTheServer() {
        assertThat(Cli.startsServer(new String[0])).isTrue();
        assertThat(Cli.startsServer(new String[]{"--server.port=8081", "--Data.Directory=/srv/hotswap"})).isTrue();
        assertThat(Cli.startsServer(new String[]{"--help"})).isFalse();
        assertThat(Cli.startsServer(new String[]{"--server.port=8081", "-h"})).isFalse();
        assertThat(Cli.startsServer(new String[]{"help"})).isFalse();
        assertThat(Cli.startsServer(new String[]{"migrate"})).isFalse();
        assertThat(Cli.startsServer(new String[]{"mirgate"})).isFalse();
    }

    @Test
    void helpListsTheCommandsWithTheirOptions() throws Exception {
        for (String help : new String[]{"--help", "-h", "help"}) {
            assertThat(run(help)).as(help).isZero();
            assertThat(out.toString()).contains("migrate [--Key=value ...]",
                    "token [--sub NAME] [--roles ROLE,...] [--tenant TENANT_ID] [--hours N]",
                    "verify-binaries [--Key=value ...]", "bench [canaries=50] [rollbacks=5]");
            out.reset();
        }
    }

    @Test
    void anUnknownCommandPrintsTheUsageAndExitsTwo() throws Exception {
        assertThat(run("mirgate")).isEqualTo(2);
        assertThat(err.toString()).startsWith("unknown command 'mirgate'").contains("usage:");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void verifyBinariesTakesSettingsOnly() throws Exception {
        assertThat(run("verify-binaries", "./data")).isEqualTo(2);
        assertThat(err.toString()).startsWith("verify-binaries: unexpected argument './data' (settings are --Key=value)");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void tokenHelpPrintsTheOptionsAndNoToken() throws Exception {
        assertThat(run("token", "--help")).isZero();
        assertThat(out.toString()).contains("--sub", "--roles", "--tenant", "--hours").doesNotContain("eyJ");
    }

    @Test
    void tokenRefusesHoursThatAreNotAboveZero() throws Exception {
        for (String hours : new String[]{"0", "-1", "abc", "1.5"}) {
            assertThat(run("token", "--hours", hours)).as(hours).isEqualTo(2);
            assertThat(err.toString()).as(hours)
                    .startsWith("token: --hours must be a whole number above 0, not '" + hours + "'");
            assertThat(out.toString()).isEmpty();
            err.reset();
        }
        assertThat(run("token", "--hours")).isEqualTo(2);
        assertThat(err.toString()).startsWith("token: --hours needs a value");
        err.reset();
        assertThat(run("token", "--days", "2")).isEqualTo(2);
        assertThat(err.toString()).startsWith("token: unknown option '--days'");
    }

    @Test
    void tokenIsValidForTheHoursAsked() throws Exception {
        System.setProperty("JWT_SECRET", "a-test-secret-of-at-least-thirty-two-bytes");
        assertThat(run("token", "--sub", "alice", "--roles", "tenant-admin", "--tenant", "tenant-acme-corp", "--hours=8"))
                .as(err.toString()).isZero();
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(out.toString().strip().split("\\.")[1]));
        assertThat(claims.get("sub").asText()).isEqualTo("alice");
        assertThat(claims.get("tenant_id").asText()).isEqualTo("tenant-acme-corp");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(8 * 3600);
    }

    @Test
    void benchTakesTheReadmesSyntaxAndTheOldPositionalOne() throws Exception {
        assertThat(OrchestrationBenchmark.Options.parse()).isEqualTo(new OrchestrationBenchmark.Options(50, 5));
        assertThat(OrchestrationBenchmark.Options.parse("canaries=2")).isEqualTo(new OrchestrationBenchmark.Options(2, 5));
        assertThat(OrchestrationBenchmark.Options.parse("rollbacks=1", "canaries=3"))
                .isEqualTo(new OrchestrationBenchmark.Options(3, 1));
        assertThat(OrchestrationBenchmark.Options.parse("7", "2")).isEqualTo(new OrchestrationBenchmark.Options(7, 2));
        assertThatThrownBy(() -> OrchestrationBenchmark.Options.parse("canaries=0")).hasMessageContaining("above 0");
        assertThatThrownBy(() -> OrchestrationBenchmark.Options.parse("canary=5")).hasMessageContaining("unknown argument 'canary=5'");

        assertThat(run("bench", "canaries=many")).isEqualTo(2);
        assertThat(err.toString()).startsWith("bench: canaries must be a whole number above 0, not 'many'");
    }

    private int run(String... args) throws Exception {
        return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
