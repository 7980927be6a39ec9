package io.hotswap.ops.deployment;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import io.hotswap.ops.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Why DeploymentSaga never cancels a deadline: with db-scheduler 16.7.1, which Axon 4.13.0's
 * DbSchedulerDeadlineManager cancels through, cancelling a task that is executing throws. The day this test fails,
 * cancelling has become safe and the saga could cancel its deadlines instead of letting stale ones do nothing.
 */
class DeadlineCancellationTest {

    @Test
    void cancellingADeadlineWhileItRunsFails() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OneTimeTask<Void> deadline = Tasks.oneTime("deadline").execute((instance, context) -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (HikariDataSource database = TestDatabase.migrated()) {
            Scheduler scheduler = Scheduler.create(database, deadline).threads(1)
                    .pollingInterval(Duration.ofMillis(50)).build();
            scheduler.start();
            try {
                scheduler.schedule(deadline.instance("stage-1"), Instant.now());
                assertThat(running.await(10, TimeUnit.SECONDS)).as("the deadline started").isTrue();

                assertThatThrownBy(() -> scheduler.cancel(TaskInstanceId.of("deadline", "stage-1")))
                        .isInstanceOf(TaskInstanceCurrentlyExecutingException.class);
            } finally {
                release.countDown();
                scheduler.stop();
            }
        }
    }
}
