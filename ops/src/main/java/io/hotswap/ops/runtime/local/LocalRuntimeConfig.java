package io.hotswap.ops.runtime.local;

import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.ops.config.HotSwapProperties;
import io.hotswap.ops.runtime.PluginRuntimeProvider;
import io.hotswap.sagas.runtime.PluginRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** The local process runtime, {@code Runtime.Provider: Local}: plugin instances as processes on this machine. */
@Configuration
@EnableConfigurationProperties(LocalRuntimeProperties.class)
public class LocalRuntimeConfig {

    @Bean
    PluginRuntimeProvider localRuntime(LocalRuntimeProperties settings, HotSwapProperties properties, BinaryStore binaries,
                                       JdbcClient jdbc, PlatformTransactionManager transactions, MeterRegistry metrics) {
        return new PluginRuntimeProvider() {
            @Override
            public String name() {
                return "Local";
            }

            @Override
            public PluginRuntime create() throws Exception {
                return new LocalProcessRuntime(binaries, new InstanceRecords.Factory(jdbc, transactions), metrics,
                        properties.data().directory().resolve("runtime"), settings.javaOptions(), settings.niceness());
            }
        };
    }
}
