package io.hotswap.command.plugin;

import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.plugin.ChangePluginVersionStatusCommand;
import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.PluginDependency;
import io.hotswap.api.plugin.PluginMetadata;
import io.hotswap.api.plugin.PluginRegistered;
import io.hotswap.api.plugin.PluginResources;
import io.hotswap.api.plugin.PluginVersionRegistered;
import io.hotswap.api.plugin.PluginVersionRegistration;
import io.hotswap.api.plugin.PluginVersionStatus;
import io.hotswap.api.plugin.PluginVersionStatusChanged;
import io.hotswap.api.plugin.PluginVersionView;
import io.hotswap.api.plugin.RegisterPluginVersionCommand;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.hotswap.command.Refusals.conflict;
import static org.assertj.core.api.Assertions.assertThat;

class PluginTest {

    private static final String PLUGIN = "weather";
    private static final String NAME = "Weather Widget";
    private static final String SHA_1 = "a".repeat(64);
    private static final String SHA_2 = "b".repeat(64);
    private static final PluginBinary BINARY_1 = new PluginBinary("weather/1.0.0/" + SHA_1, SHA_1, 1024);
    private static final PluginBinary BINARY_2 = new PluginBinary("weather/2.0.0/" + SHA_2, SHA_2, 2048);
    private static final PluginMetadata METADATA = new PluginMetadata("Shows the weather",
            List.of(new PluginDependency("geo", "^1.0.0")), new PluginResources(0.5, 256), null, null);

    private static final PluginRegistered REGISTERED = new PluginRegistered(PLUGIN, NAME);
    private static final PluginVersionRegistered V1 = new PluginVersionRegistered(PLUGIN, "1.0.0", BINARY_1, METADATA);

    private FixtureConfiguration<Plugin> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Plugin.class);
    }

    // --- registration ---

    @Test
    void firstRegistrationCreatesThePluginAndItsVersion() {
        fixture.givenNoPriorActivity()
                .when(new RegisterPluginVersionCommand(PLUGIN, NAME, "1.0.0", BINARY_1, METADATA))
                .expectSuccessfulHandlerExecution()
                .expectEvents(REGISTERED, V1)
                .expectResultMessagePayload(new PluginVersionRegistration(PLUGIN, "1.0.0", BINARY_1, true));
    }

    @Test
    void registeringTheSameVersionWithTheSameBinaryAgainChangesNothing() {
        fixture.given(REGISTERED, V1)
                .when(new RegisterPluginVersionCommand(PLUGIN, NAME, "1.0.0", BINARY_1, METADATA))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new PluginVersionRegistration(PLUGIN, "1.0.0", BINARY_1, false));
    }

    @Test
    void aRepeatedRegistrationAnswersWithTheBinaryRegisteredFirst() {
        PluginBinary sameBytesElsewhere = new PluginBinary("elsewhere/" + SHA_1, SHA_1, 1024);

        fixture.given(REGISTERED, V1)
                .when(new RegisterPluginVersionCommand(PLUGIN, NAME, "1.0.0", sameBytesElsewhere, METADATA))
                .expectNoEvents()
                .expectResultMessagePayload(new PluginVersionRegistration(PLUGIN, "1.0.0", BINARY_1, false));
    }

    @Test
    void refusesTheSameVersionWithAnotherBinary() {
        PluginBinary otherBytes = new PluginBinary("weather/1.0.0/" + SHA_2, SHA_2, 1024);

        fixture.given(REGISTERED, V1)
                .when(new RegisterPluginVersionCommand(PLUGIN, NAME, "1.0.0", otherBytes, METADATA))
                .expectException(conflict("version-exists", Map.of("registeredSha256", SHA_1)))
                .expectNoEvents();
    }

    @Test
    void aNewVersionOfAnExistingPluginOnlyRegistersTheVersion() {
        fixture.given(REGISTERED, V1)
                .when(new RegisterPluginVersionCommand(PLUGIN, NAME, "2.0.0", BINARY_2, METADATA))
                .expectEvents(new PluginVersionRegistered(PLUGIN, "2.0.0", BINARY_2, METADATA))
                .expectResultMessagePayload(new PluginVersionRegistration(PLUGIN, "2.0.0", BINARY_2, true));
    }

    @Test
    void registeredVersionsAreRememberedAsActive() {
        fixture.given(REGISTERED, V1)
                .when(new RegisterPluginVersionCommand(PLUGIN, NAME, "2.0.0", BINARY_2, METADATA))
                .expectState(plugin -> {
                    assertThat(plugin.version("1.0.0")).usingRecursiveComparison().ignoringFields("registeredAt")
                            .isEqualTo(new PluginVersion("1.0.0", BINARY_1, METADATA, PluginVersionStatus.Active, null));
                    assertThat(plugin.version("1.0.0").registeredAt()).isNotNull();
                    assertThat(plugin.version("2.0.0").status()).isEqualTo(PluginVersionStatus.Active);
                    assertThat(plugin.version("2.0.0").binary()).isEqualTo(BINARY_2);
                });
    }

    // --- status changes ---

    @Test
    void yankingAVersionEmitsAStatusChange() {
        fixture.given(REGISTERED, V1)
                .when(new ChangePluginVersionStatusCommand(PLUGIN, "1.0.0", PluginVersionStatus.Yanked))
                .expectEvents(new PluginVersionStatusChanged(PLUGIN, "1.0.0", PluginVersionStatus.Yanked))
                .expectState(plugin -> assertThat(plugin.version("1.0.0").status())
                        .isEqualTo(PluginVersionStatus.Yanked));
    }

    @Test
    void aStatusChangeAnswersTheVersionAsItNowStands() {
        fixture.given(REGISTERED, V1)
                .when(new ChangePluginVersionStatusCommand(PLUGIN, "1.0.0", PluginVersionStatus.Deprecated))
                .expectResultMessagePayloadMatching(Matchers.predicate(view -> view instanceof PluginVersionView v
                        && v.status() == PluginVersionStatus.Deprecated && v.sha256().equals(BINARY_1.sha256())
                        && v.registeredAt() != null));
    }

    @Test
    void deprecatingAndReactivatingAVersionIsAllowed() {
        fixture.given(REGISTERED, V1,
                        new PluginVersionStatusChanged(PLUGIN, "1.0.0", PluginVersionStatus.Deprecated))
                .when(new ChangePluginVersionStatusCommand(PLUGIN, "1.0.0", PluginVersionStatus.Active))
                .expectEvents(new PluginVersionStatusChanged(PLUGIN, "1.0.0", PluginVersionStatus.Active));
    }

    @Test
    void settingTheCurrentStatusAgainIsANoOp() {
        fixture.given(REGISTERED, V1,
                        new PluginVersionStatusChanged(PLUGIN, "1.0.0", PluginVersionStatus.Yanked))
                .when(new ChangePluginVersionStatusCommand(PLUGIN, "1.0.0", PluginVersionStatus.Yanked))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void refusesToUnyankAVersion() {
        fixture.given(REGISTERED, V1,
                        new PluginVersionStatusChanged(PLUGIN, "1.0.0", PluginVersionStatus.Yanked))
                .when(new ChangePluginVersionStatusCommand(PLUGIN, "1.0.0", PluginVersionStatus.Active))
                .expectException(conflict("version-yanked"))
                .expectNoEvents();
    }

    @Test
    void refusesToDeprecateAYankedVersion() {
        fixture.given(REGISTERED, V1,
                        new PluginVersionStatusChanged(PLUGIN, "1.0.0", PluginVersionStatus.Yanked))
                .when(new ChangePluginVersionStatusCommand(PLUGIN, "1.0.0", PluginVersionStatus.Deprecated))
                .expectException(conflict("version-yanked"))
                .expectNoEvents();
    }

    @Test
    void changingTheStatusOfAnUnknownVersionIsNotFound() {
        fixture.given(REGISTERED, V1)
                .when(new ChangePluginVersionStatusCommand(PLUGIN, "9.9.9", PluginVersionStatus.Yanked))
                .expectException(NotFoundException.class)
                .expectExceptionMessage("Version 9.9.9 of plugin '" + PLUGIN + "' does not exist")
                .expectNoEvents();
    }

    @Test
    void changingTheStatusOfAVersionOfAnUnknownPluginFindsNoAggregate() {
        fixture.givenNoPriorActivity()
                .when(new ChangePluginVersionStatusCommand("ghost", "1.0.0", PluginVersionStatus.Yanked))
                .expectException(AggregateNotFoundException.class)
                .expectNoEvents();
    }

    // --- deployability (used by StartDeploymentHandler) ---

    @Test
    void aDeprecatedVersionIsStillDeployable() {
        fixture.given(REGISTERED, V1,
                        new PluginVersionStatusChanged(PLUGIN, "1.0.0", PluginVersionStatus.Deprecated))
                .whenInvoking(PLUGIN, plugin -> assertThat(plugin.deployableVersion("1.0.0").status())
                        .isEqualTo(PluginVersionStatus.Deprecated))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aYankedVersionIsNotDeployable() {
        fixture.given(REGISTERED, V1,
                        new PluginVersionStatusChanged(PLUGIN, "1.0.0", PluginVersionStatus.Yanked))
                .whenInvoking(PLUGIN, plugin -> plugin.deployableVersion("1.0.0"))
                .expectException(conflict("version-yanked"));
    }

    @Test
    void anUnknownVersionIsNotDeployable() {
        fixture.given(REGISTERED, V1)
                .whenInvoking(PLUGIN, plugin -> plugin.deployableVersion("2.0.0"))
                .expectException(NotFoundException.class);
    }
}
