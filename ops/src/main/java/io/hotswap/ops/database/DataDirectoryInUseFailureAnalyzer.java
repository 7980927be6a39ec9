package io.hotswap.ops.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A second server on a data directory ends with what to do instead of a stack trace. */
class DataDirectoryInUseFailureAnalyzer extends AbstractFailureAnalyzer<DataDirectoryInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataDirectoryInUseException cause) {
        String problem = cause.getMessage();
        return new FailureAnalysis(Character.toUpperCase(problem.charAt(0)) + problem.substring(1)
                + "; its embedded PostgreSQL belongs to that server.",
                "Stop that server first, or start this one with its own data directory (DATA_DIRECTORY or "
                        + "--Data.Directory=...) or an external database (DB_CONNECTION_STRING).", cause);
    }
}
