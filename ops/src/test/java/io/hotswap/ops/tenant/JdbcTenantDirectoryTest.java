package io.hotswap.ops.tenant;

import com.zaxxer.hikari.HikariDataSource;
import io.hotswap.api.error.ConflictException;
import io.hotswap.command.tenant.JdbcTenantDirectory;
import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The set-wide tenant rules against real PostgreSQL, inside transactions as the command bus runs them. */
class JdbcTenantDirectoryTest {

    private static HikariDataSource dataSource;
    private static JdbcClient jdbc;
    private static TransactionTemplate transaction;

    @BeforeAll
    static void database() {
        dataSource = TestDatabase.migrated();
        jdbc = JdbcClient.create(dataSource);
        transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @BeforeEach
    void empty() {
        jdbc.sql("DELETE FROM tenant_directory").update();
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @Test
    void refusesATakenIdOrNamespaceAndTheTenantBeyondTheLimit() {
        JdbcTenantDirectory directory = new JdbcTenantDirectory(jdbc, 2);
        transaction.executeWithoutResult(status -> directory.claim("tenant-one", "one"));

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> directory.claim("tenant-one", "other")))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.problemType()).isEqualTo("tenant-exists"));
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> directory.claim("tenant-two", "one")))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.problemType()).isEqualTo("namespace-taken"));

        transaction.executeWithoutResult(status -> directory.claim("tenant-two", "two"));
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> directory.claim("tenant-three", "three")))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.problemType()).isEqualTo("tenant-limit-reached");
                    assertThat(e.details()).containsEntry("maxTenants", 2);
                });
    }

    @Test
    void aClaimVanishesWithItsTransaction() {
        JdbcTenantDirectory directory = new JdbcTenantDirectory(jdbc, 100);
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            directory.claim("tenant-rolled-back", "rolled-back");
            throw new IllegalStateException("the event could not be stored");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(jdbc.sql("SELECT count(*) FROM tenant_directory WHERE tenant_id = 'tenant-rolled-back'")
                .query(Long.class).single()).isZero();
        transaction.executeWithoutResult(status -> directory.claim("tenant-rolled-back", "rolled-back"));
    }
}
