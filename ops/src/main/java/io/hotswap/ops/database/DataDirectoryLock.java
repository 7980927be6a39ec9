package io.hotswap.ops.database;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ownership of a data directory's embedded database: an exclusive OS lock on {@code <data>/server.lock}, which holds
 * the owner's pid. The OS releases it when the owner dies, even by SIGKILL, so holding it proves that no live process
 * uses the database, and only its holder may stop a PostgreSQL an earlier run left behind.
 */
public final class DataDirectoryLock implements Closeable {

    static final String FILE_NAME = "server.lock";

    /**
     * Directories locked by this JVM. Checked before the file is opened: closing any channel on a locked file would
     * release this JVM's lock on it (POSIX record locks belong to the process, not to the channel).
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final FileChannel channel;

    private DataDirectoryLock(Path directory, FileChannel channel) {
        this.directory = directory;
        this.channel = channel;
    }

    /** Locks {@code dataDirectory} for this process, or says who holds it. */
    public static DataDirectoryLock acquire(Path dataDirectory) throws IOException {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        if (!HELD_HERE.add(directory)) throw new DataDirectoryInUseException(directory, ProcessHandle.current().pid());
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(FILE_NAME);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new DataDirectoryInUseException(directory, holder(file));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(false);
            return new DataDirectoryLock(directory, channel);
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(directory);
            throw e;
        }
    }

    /** The pid the holder wrote, or -1 while it has not written it yet. */
    private static long holder(Path file) {
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Releases the directory (closing the channel releases the lock); the file stays, its content no longer counts. */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) return;
        try {
            channel.close();
        } finally {
            HELD_HERE.remove(directory);
        }
    }
}
