package io.hotswap.ops.config;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.hotswap.ops.deployment.JdbcDeploymentQueue;
import io.hotswap.query.deployment.DeploymentBoard;
import io.hotswap.sagas.deployment.DeploymentQueue;
import io.hotswap.sagas.deployment.DeploymentQueuePolicy;
import io.hotswap.sagas.deployment.HealthLog;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;

/**
 * The deployment saga's collaborators: the concurrency queue, the supervision's health log, and how its deadlines
 * retry. The plugin runtime is configured by its adapter (runtime/local).
 */
@Configuration
public class OrchestrationConfig {

    /**
     * Axon's deadline task, as {@code DbSchedulerDeadlineManager.binaryTask} names it (Axon 4.13.0, db-scheduler
     * 16.7.1). If a later Axon names it otherwise, OrchestrationTest's check of the retry policy fails.
     */
    static final String DEADLINE_TASK = "AxonDeadline";
    static final Duration FIRST_DEADLINE_RETRY = Duration.ofSeconds(1);

    /** Each supervision check of a completed deployment, beside the deployment's row. */
    @Bean
    HealthLog healthLog(DeploymentBoard board) {
        return board::recordSupervisedHealth;
    }

    @Bean
    DeploymentQueue deploymentQueue(JdbcClient jdbc) {
        return new JdbcDeploymentQueue(jdbc);
    }

    @Bean
    DeploymentQueuePolicy deploymentQueuePolicy(DeploymentQueue queue, CommandGateway commands,
                                                HotSwapProperties properties) {
        return new DeploymentQueuePolicy(queue, commands, properties.deployment().maxConcurrentDeployments());
    }

    /**
     * A deadline whose handler failed (the database briefly away, say) runs again after 1 s, then 1.5 s, 2.3 s and so
     * on. db-scheduler's default waits 5 minutes, which would hold the deployment's stage that long.
     */
    @Bean
    static BeanPostProcessor deadlineRetries() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof Task<?> task && task.getName().equals(DEADLINE_TASK) ? retryingSoon(task) : bean;
            }
        };
    }

    private static <T> Task<T> retryingSoon(Task<T> task) {
        return Tasks.oneTime(task.getName(), task.getDataClass())
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(FIRST_DEADLINE_RETRY))
                .execute(task::execute);
    }
}
