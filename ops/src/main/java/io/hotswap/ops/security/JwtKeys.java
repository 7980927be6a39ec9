package io.hotswap.ops.security;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The HS256 key: {@code JWT_SECRET} when set (at least 32 bytes, as HS256 requires), otherwise a random secret
 * generated once and kept in {@code <data>/jwt-secret}, so local tokens survive restarts.
 */
public final class JwtKeys {

    static final int MIN_SECRET_BYTES = 32;

    private JwtKeys() {
    }

    public static SecretKey resolve(String configuredSecret, Path dataDirectory) {
        String secret = configuredSecret == null || configuredSecret.isBlank()
                ? generatedSecret(dataDirectory.resolve("jwt-secret")) : configuredSecret;
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("JWT_SECRET must be at least " + MIN_SECRET_BYTES
                    + " bytes for HS256; it has " + bytes.length);
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    private static String generatedSecret(Path file) {
        try {
            if (Files.exists(file)) return Files.readString(file).strip();
            Files.createDirectories(file.getParent());
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.writeString(file, secret);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the file keeps its default permissions
            }
            return secret;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot keep the generated JWT secret in " + file, e);
        }
    }
}
