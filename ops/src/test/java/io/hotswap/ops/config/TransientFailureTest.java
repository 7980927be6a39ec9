package io.hotswap.ops.config;

import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which handler failures pass by themselves (the batch is tried again) and which are parked as dead letters. */
class TransientFailureTest {

    @Test
    void anUnreachableDatabaseADeadlockOrAnUnreachableLockServicePassByThemselves() {
        assertThat(DeadLetterConfig.isTransient(new CannotGetJdbcConnectionException("pool timed out"))).isTrue();
        assertThat(DeadLetterConfig.isTransient(new CannotCreateTransactionException("no savepoint",
                new SQLException("I/O error", "08006")))).isTrue();
        assertThat(DeadLetterConfig.isTransient(new RuntimeException(new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(DeadLetterConfig.isTransient(new CommandExecutionException("activation failed",
                new LockAcquisitionFailedException("lock service away")))).isTrue();
    }

    @Test
    void whatFailsTheSameWayEveryTimeIsParked() {
        assertThat(DeadLetterConfig.isTransient(new DataIntegrityViolationException("invalid byte sequence",
                new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021")))).isFalse();
        assertThat(DeadLetterConfig.isTransient(new IllegalStateException("no such plugin"))).isFalse();
        assertThat(DeadLetterConfig.isTransient(new SQLException("no state"))).isFalse();
    }
}
