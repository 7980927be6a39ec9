package io.hotswap.api.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Where plugin binaries live. Implementations stream: a binary is never held whole in memory. */
public interface BinaryStore {

    /** The outcome of {@link #store}: where the bytes went, and whether this call put them there. */
    record Stored(PluginBinary binary, boolean created) {
    }

    /**
     * Streams {@code content} into the store under a key of plugin and version, computing its SHA-256. Whether the
     * registration keeps the object is decided later: the caller removes it if not (when {@code created}).
     *
     * @throws io.hotswap.api.error.PayloadTooLargeException when more than {@code maxBytes} arrive (nothing is kept)
     */
    Stored store(String pluginId, String version, InputStream content, long maxBytes) throws IOException;

    /** Opens a stored binary, checking nothing: callers stream it out as it is. */
    Optional<InputStream> open(String storageKey) throws IOException;

    void delete(String storageKey) throws IOException;
}
