package io.hotswap.ops.runtime;

import io.hotswap.ops.runtime.local.LocalRuntimeProperties;
import io.hotswap.sagas.runtime.PluginRuntime;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimeConfigTest {

    private static PluginRuntimeProvider provider(String name) {
        return new PluginRuntimeProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public PluginRuntime create() {
                throw new AssertionError("only the chosen provider is created");
            }
        };
    }

    private final List<PluginRuntimeProvider> providers = List.of(provider("Local"), provider("Kubernetes"));

    @Test
    void choosesTheProviderRuntimeProviderNamesWhateverItsCase() {
        assertThat(RuntimeConfig.chosen("kubernetes", providers).name()).isEqualTo("Kubernetes");
        assertThat(RuntimeConfig.chosen("Local", providers).name()).isEqualTo("Local");
    }

    @Test
    void refusesAProviderThisBuildDoesNotHaveAndNamesTheOnesItHas() {
        assertThatThrownBy(() -> RuntimeConfig.chosen("Nomad", providers))
                .hasMessage("Runtime.Provider 'Nomad' is not available in this build; choose one of [Local, Kubernetes]");
    }

    @EnableConfigurationProperties(LocalRuntimeProperties.class)
    static class LocalSettings {
    }

    @Test
    void theLocalRuntimeReadsItsSettingsFromTheGuidesKeys() {
        new ApplicationContextRunner().withUserConfiguration(LocalSettings.class)
                .withPropertyValues("Runtime.JavaOptions=-Xmx32m,-XX:+UseSerialGC", "Runtime.Niceness=5")
                .run(context -> assertThat(context.getBean(LocalRuntimeProperties.class))
                        .isEqualTo(new LocalRuntimeProperties(List.of("-Xmx32m", "-XX:+UseSerialGC"), 5)));
        new ApplicationContextRunner().withUserConfiguration(LocalSettings.class)
                .run(context -> assertThat(context.getBean(LocalRuntimeProperties.class))
                        .isEqualTo(new LocalRuntimeProperties(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), 10)));
    }
}
