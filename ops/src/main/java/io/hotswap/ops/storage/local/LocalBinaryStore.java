package io.hotswap.ops.storage.local;

import io.hotswap.api.error.PayloadTooLargeException;
import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.api.plugin.PluginBinary;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Binaries as files: {@code <root>/<pluginId>/<version>/<sha256>.bin}. Each upload streams into a temporary file
 * while its SHA-256 is computed, then moves into place atomically, so a half-written file is never visible.
 */
public class LocalBinaryStore implements BinaryStore {

    private static final int BUFFER = 64 * 1024;

    private final Path root;

    public LocalBinaryStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root.resolve(".incoming"));
    }

    @Override
    public Stored store(String pluginId, String version, InputStream content, long maxBytes) throws IOException {
        Path incoming = root.resolve(".incoming").resolve(UUID.randomUUID() + ".part");
        try {
            MessageDigest sha256 = sha256();
            long size = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(incoming), sha256)) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = content.read(buffer)) > 0; ) {
                    size += n;
                    if (size > maxBytes) throw new PayloadTooLargeException("The binary", maxBytes);
                    out.write(buffer, 0, n);
                }
            }
            String hash = HexFormat.of().formatHex(sha256.digest());
            String key = pluginId + "/" + version + "/" + hash + ".bin";
            Path target = resolve(key);
            if (Files.exists(target)) return new Stored(new PluginBinary(key, hash, size), false);
            Files.createDirectories(target.getParent());
            try {
                Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(incoming, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Stored(new PluginBinary(key, hash, size), true);
        } finally {
            Files.deleteIfExists(incoming);
        }
    }

    @Override
    public Optional<InputStream> open(String storageKey) throws IOException {
        Path file = resolve(storageKey);
        return Files.exists(file) ? Optional.of(Files.newInputStream(file)) : Optional.empty();
    }

    @Override
    public void delete(String storageKey) throws IOException {
        Files.deleteIfExists(resolve(storageKey));
    }

    /** Keys come from our own events, but a path outside the root is refused all the same. */
    private Path resolve(String storageKey) {
        Path file = root.resolve(storageKey).normalize();
        if (!file.startsWith(root)) throw new IllegalArgumentException("storage key escapes the store: " + storageKey);
        return file;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
