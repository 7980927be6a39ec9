package io.hotswap.ops.config;

import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.ops.deployment.JdbcDeploymentQueue;
import io.hotswap.ops.runtime.LocalProcessRuntime;
import io.hotswap.query.plugin.PluginCatalogue;
import io.hotswap.sagas.deployment.DeploymentQueue;
import io.hotswap.sagas.deployment.DeploymentQueuePolicy;
import io.hotswap.sagas.runtime.PluginRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.IOException;

/** The deployment saga's collaborators: the plugin runtime and the concurrency queue. */
@Configuration
public class OrchestrationConfig {

    @Bean
    PluginRuntime pluginRuntime(HotSwapProperties properties, PluginCatalogue catalogue, BinaryStore binaries,
                                JdbcClient jdbc, MeterRegistry metrics) throws IOException {
        HotSwapProperties.Runtime runtime = properties.runtime();
        if (!runtime.provider().equalsIgnoreCase("Local")) {
            throw new IllegalStateException("Runtime.Provider '" + runtime.provider() + "' is not available in this "
                    + "build; use Local");
        }
        return new LocalProcessRuntime(catalogue, binaries, jdbc, metrics,
                properties.data().directory().resolve("runtime"), runtime.javaOptions(), runtime.niceness());
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
}
