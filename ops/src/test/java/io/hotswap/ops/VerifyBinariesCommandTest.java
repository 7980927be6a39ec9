package io.hotswap.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.api.plugin.PluginMetadata;
import io.hotswap.ops.database.EmbeddedPostgresDataSource;
import io.hotswap.ops.storage.local.LocalBinaryStore;
import io.hotswap.ops.support.MainProcess;
import io.hotswap.query.JsonColumns;
import io.hotswap.query.ReadModelWrites;
import io.hotswap.query.plugin.PluginCatalogue;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar … verify-binaries} on the embedded default, run from the directory holding {@code ./data}: the
 * catalogue in the embedded database, binaries under {@code ./data/binaries}. It reads the database of the server
 * that owns the data directory while one runs (here the test holds it, as a server would), and starts it itself
 * otherwise. S3 and an external database: BackupRestoreDrillTest.
 */
class VerifyBinariesCommandTest {

    @TempDir
    Path work;

    @Test
    void namesTheBinaryMissingAndTheOneChangedBesideARunningServerAndAlone() throws Exception {
        Path data = work.resolve("data");
        BinaryStore store = new LocalBinaryStore(data.resolve("binaries"));
        Map<String, String> keys = new LinkedHashMap<>();
        try (EmbeddedPostgresDataSource database = EmbeddedPostgresDataSource.start(data, 0)) {
            Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
            PluginCatalogue catalogue = new PluginCatalogue(JdbcClient.create(database),
                    new ReadModelWrites(new JdbcTemplate(database)), new JsonColumns(new ObjectMapper()));
            catalogue.insertPlugin("ledger", "Ledger", Instant.now());
            for (String version : new String[]{"1.0.0", "1.1.0", "2.0.0"}) {
                byte[] jar = ("the ledger jar, version " + version).getBytes(StandardCharsets.UTF_8);
                BinaryStore.Stored stored = store.store("ledger", version, new ByteArrayInputStream(jar), jar.length);
                catalogue.insertVersion("ledger", version, stored.binary(), new PluginMetadata(null, null, null, null, null),
                        Instant.now());
                keys.put(version, stored.binary().storageKey());
            }

            MainProcess.Result beside = MainProcess.run(work, "verify-binaries");
            assertThat(beside.exitCode()).as(beside.toString()).isZero();
            assertThat(beside.out()).contains("Checked 3 binaries: 3 intact, 0 missing, 0 changed");
        }

        Path binaries = data.resolve("binaries");
        Files.delete(binaries.resolve(keys.get("1.0.0")));
        Files.writeString(binaries.resolve(keys.get("2.0.0")), "tampered");
        MainProcess.Result alone = MainProcess.run(work, "verify-binaries");

        assertThat(alone.exitCode()).as(alone.toString()).isEqualTo(1);
        assertThat(alone.out()).contains(
                "MISSING  ledger 1.0.0  key " + keys.get("1.0.0") + "  expected sha256 ",
                "CHANGED  ledger 2.0.0  key " + keys.get("2.0.0") + "  expected sha256 ",
                "found sha256 " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                        "tampered".getBytes(StandardCharsets.UTF_8))) + " (8 bytes)",
                "Checked 3 binaries: 1 intact, 1 missing, 1 changed");
    }
}
