package io.hotswap.ops.database;

import java.io.IOException;
import java.nio.file.Path;

/** Another running process (or this one) owns the data directory's embedded database. */
public final class DataDirectoryInUseException extends IOException {

    private final Path directory;
    private final long ownerPid;

    DataDirectoryInUseException(Path directory, long ownerPid) {
        super("the data directory " + directory + " is in use by a running server"
                + (ownerPid > 0 ? " (pid " + ownerPid + ")" : ""));
        this.directory = directory;
        this.ownerPid = ownerPid;
    }

    public Path directory() {
        return directory;
    }

    public long ownerPid() {
        return ownerPid;
    }
}
