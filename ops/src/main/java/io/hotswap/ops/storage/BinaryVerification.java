package io.hotswap.ops.storage;

import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.query.plugin.PluginCatalogue.CataloguedBinary;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Checks a binary store against the catalogue: every registered version's binary must be there and hash to the SHA-256
 * it was registered with (what {@code verify-binaries} runs after binaries were restored from a copy of the bucket).
 * Each binary is streamed through the hash, so none is held in memory.
 */
public final class BinaryVerification {

    /** What is wrong with one binary. */
    public enum Finding { MISSING, CHANGED }

    /** A binary that is not as registered; {@code actualSha256} is null when it is missing. */
    public record Problem(Finding finding, String pluginId, String version, PluginBinary expected,
                          String actualSha256, long actualBytes) {

        /** One line naming the version, its key, and what was expected against what was found. */
        public String describe() {
            String found = finding == Finding.MISSING ? "nothing"
                    : "sha256 " + actualSha256 + " (" + actualBytes + " bytes)";
            return "%-8s %s %s  key %s  expected sha256 %s (%d bytes), found %s".formatted(finding, pluginId, version,
                    expected.storageKey(), expected.sha256(), expected.sizeBytes(), found);
        }
    }

    /** The outcome: how many binaries were checked and which are not as registered. */
    public record Report(int checked, List<Problem> problems) {

        public boolean intact() {
            return problems.isEmpty();
        }

        public String summary() {
            long missing = problems.stream().filter(p -> p.finding() == Finding.MISSING).count();
            return "Checked %d binar%s: %d intact, %d missing, %d changed".formatted(checked, checked == 1 ? "y" : "ies",
                    checked - problems.size(), missing, problems.size() - missing);
        }
    }

    private BinaryVerification() {
    }

    public static Report verify(List<CataloguedBinary> catalogue, BinaryStore store) throws IOException {
        List<Problem> problems = new ArrayList<>();
        for (CataloguedBinary entry : catalogue) {
            PluginBinary expected = entry.binary();
            Optional<InputStream> stored = store.open(expected.storageKey());
            if (stored.isEmpty()) {
                problems.add(new Problem(Finding.MISSING, entry.pluginId(), entry.version(), expected, null, 0));
                continue;
            }
            MessageDigest sha256 = sha256();
            long bytes;
            try (InputStream in = new DigestInputStream(stored.get(), sha256)) {
                bytes = in.transferTo(OutputStream.nullOutputStream());
            }
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (!actual.equalsIgnoreCase(expected.sha256()) || bytes != expected.sizeBytes()) {
                problems.add(new Problem(Finding.CHANGED, entry.pluginId(), entry.version(), expected, actual, bytes));
            }
        }
        return new Report(catalogue.size(), List.copyOf(problems));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
