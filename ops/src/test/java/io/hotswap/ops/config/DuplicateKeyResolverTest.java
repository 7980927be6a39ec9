package io.hotswap.ops.config;

import io.hotswap.ops.support.TestDatabase;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Against the machine's PostgreSQL: a second event at an aggregate's sequence number, inserted in a batch as Axon's
 * JDBC event store does, counts as a duplicate key (Axon then reports a concurrent change); other errors do not.
 */
class DuplicateKeyResolverTest {

    private final PersistenceExceptionResolver resolver = new AxonConfig().persistenceExceptionResolver();

    @Test
    void aBatchedInsertAtATakenSequenceNumberIsADuplicateKey() throws SQLException {
        try (Connection connection = DriverManager.getConnection(TestDatabase.create())) {
            connection.createStatement().execute("""
                    CREATE TABLE events (aggregate_identifier TEXT, sequence_number BIGINT,
                                         UNIQUE (aggregate_identifier, sequence_number))""");
            PreparedStatement insert = connection.prepareStatement("INSERT INTO events VALUES ('tenant-acme', ?)");
            insert.setLong(1, 7);
            insert.executeUpdate();
            insert.addBatch();

            SQLException duplicate = catchThrowableOfType(SQLException.class, insert::executeBatch);
            SQLException other = catchThrowableOfType(SQLException.class,
                    () -> connection.createStatement().execute("INSERT INTO no_such_table VALUES (1)"));

            assertThat(new JdbcSQLErrorCodesResolver().isDuplicateKeyViolation(duplicate))
                    .as("Axon's default resolver misses PostgreSQL's duplicate key").isFalse();
            assertThat(resolver.isDuplicateKeyViolation(duplicate)).isTrue();
            assertThat(resolver.isDuplicateKeyViolation(new RuntimeException("appending failed", duplicate))).isTrue();
            assertThat(resolver.isDuplicateKeyViolation(other)).isFalse();
        }
    }
}
