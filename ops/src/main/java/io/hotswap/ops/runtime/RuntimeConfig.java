package io.hotswap.ops.runtime;

import io.hotswap.ops.config.HotSwapProperties;
import io.hotswap.sagas.runtime.DeploymentRuntime;
import io.hotswap.sagas.runtime.PluginRuntime;
import io.hotswap.sagas.runtime.PluginVersions;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/** The plugin runtime the sagas use: the provider {@code Runtime.Provider} ({@code RUNTIME_PROVIDER}) names. */
@Configuration
public class RuntimeConfig {

    @Bean
    PluginRuntime pluginRuntime(HotSwapProperties properties, List<PluginRuntimeProvider> providers) throws Exception {
        return chosen(properties.runtime().provider(), providers).create();
    }

    @Bean
    DeploymentRuntime deploymentRuntime(PluginRuntime runtime, PluginVersions versions,
                                        ObservationRegistry observations) {
        return new DeploymentRuntime(runtime, versions, observations);
    }

    static PluginRuntimeProvider chosen(String name, List<PluginRuntimeProvider> providers) {
        return providers.stream().filter(provider -> provider.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("Runtime.Provider '" + name + "' is not available in "
                        + "this build; choose one of " + providers.stream().map(PluginRuntimeProvider::name).toList()));
    }
}
