package io.hotswap.ops.runtime.local;

import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.ops.config.HotSwapProperties;
import io.hotswap.query.plugin.PluginCatalogue;
import io.hotswap.sagas.runtime.PluginRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import java.io.IOException;

/** The local process runtime, the only {@code Runtime.Provider} this build has. */
@Configuration
public class LocalRuntimeConfig {

    @Bean
    PluginRuntime pluginRuntime(HotSwapProperties properties, PluginCatalogue catalogue, BinaryStore binaries,
                                JdbcClient jdbc, PlatformTransactionManager transactions, MeterRegistry metrics)
            throws IOException {
        HotSwapProperties.Runtime runtime = properties.runtime();
        if (!runtime.provider().equalsIgnoreCase("Local")) {
            throw new IllegalStateException("Runtime.Provider '" + runtime.provider() + "' is not available in this "
                    + "build; use Local");
        }
        return new LocalProcessRuntime(catalogue, binaries, new InstanceRecords.Factory(jdbc, transactions), metrics,
                properties.data().directory().resolve("runtime"), runtime.javaOptions(), runtime.niceness());
    }
}
