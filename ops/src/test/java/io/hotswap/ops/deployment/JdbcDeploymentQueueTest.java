package io.hotswap.ops.deployment;

import com.zaxxer.hikari.HikariDataSource;
import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The concurrency queue on real PostgreSQL: slots, order, and fairness across tenants. */
class JdbcDeploymentQueueTest {

    private static HikariDataSource dataSource;
    private static JdbcDeploymentQueue queue;
    private static JdbcClient jdbc;

    @BeforeAll
    static void database() {
        dataSource = TestDatabase.migrated();
        jdbc = JdbcClient.create(dataSource);
        queue = new JdbcDeploymentQueue(jdbc);
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @BeforeEach
    void empty() {
        jdbc.sql("DELETE FROM deployment_queue").update();
    }

    @Test
    void admitsNoMoreThanTheFreeSlotsAndTheNextOneWhenASlotFrees() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        queue.enqueue("d1", "tenant-a", t);
        queue.enqueue("d2", "tenant-a", t.plusSeconds(1));
        queue.enqueue("d3", "tenant-a", t.plusSeconds(2));

        assertThat(queue.admit(2)).containsExactlyInAnyOrder("d1", "d2");
        assertThat(queue.admit(2)).isEmpty();
        queue.finish("d1");
        assertThat(queue.admit(2)).containsExactly("d3");
    }

    @Test
    void anotherTenantsDeploymentGoesBeforeATenantsSecondOne() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        queue.enqueue("a1", "tenant-a", t);
        queue.enqueue("a2", "tenant-a", t.plusSeconds(1));
        queue.enqueue("a3", "tenant-a", t.plusSeconds(2));
        queue.enqueue("b1", "tenant-b", t.plusSeconds(3));

        assertThat(queue.admit(2)).containsExactlyInAnyOrder("a1", "b1");
        queue.enqueue("c1", "tenant-c", t.plusSeconds(4));
        queue.finish("b1");
        // tenant-a still runs a1 and tenant-c runs nothing: c1 goes first though a2 waited longer
        assertThat(queue.admit(2)).containsExactly("c1");
        queue.finish("a1");
        assertThat(queue.admit(2)).containsExactly("a2");
    }

    @Test
    void finishingAWaitingDeploymentTakesItOutOfLine() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        queue.enqueue("x1", "tenant-x", t);
        queue.finish("x1");
        assertThat(queue.admit(5)).isEmpty();
    }
}
