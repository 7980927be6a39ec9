package io.hotswap.command.plugin;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.hotswap.api.error.ConflictException;
import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.plugin.ChangePluginVersionStatusCommand;
import io.hotswap.api.plugin.PluginRegistered;
import io.hotswap.api.plugin.PluginVersionRegistered;
import io.hotswap.api.plugin.PluginVersionRegistration;
import io.hotswap.api.plugin.PluginVersionStatus;
import io.hotswap.api.plugin.PluginVersionStatusChanged;
import io.hotswap.api.plugin.PluginVersionView;
import io.hotswap.api.plugin.RegisterPluginVersionCommand;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A catalogue entry and its versions. A version, once registered, always names the same binary. */
@Aggregate(cache = "aggregateCache", lockFactory = "pluginLocks", snapshotTriggerDefinition = "aggregateSnapshots")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE) // snapshots hold the fields
public class Plugin {

    @AggregateIdentifier
    private String pluginId;
    private final Map<String, PluginVersion> versions = new HashMap<>();

    protected Plugin() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public PluginVersionRegistration handle(RegisterPluginVersionCommand command) {
        PluginVersion existing = versions.get(command.version());
        if (existing != null) {
            if (existing.binary().sha256().equals(command.binary().sha256())) {
                return new PluginVersionRegistration(pluginId, command.version(), existing.binary(), false);
            }
            throw new ConflictException("version-exists", "Version " + command.version() + " of plugin '"
                    + command.pluginId() + "' is already registered with another binary (SHA-256 "
                    + existing.binary().sha256() + "); register a new version instead",
                    Map.of("registeredSha256", existing.binary().sha256()));
        }
        if (pluginId == null) {
            apply(new PluginRegistered(command.pluginId(), command.name()));
        }
        apply(new PluginVersionRegistered(command.pluginId(), command.version(), command.binary(), command.metadata()));
        return new PluginVersionRegistration(pluginId, command.version(), command.binary(), true);
    }

    /** Answers the version as it now stands, so the caller need not wait for the catalogue to catch up. */
    @CommandHandler
    public PluginVersionView handle(ChangePluginVersionStatusCommand command) {
        PluginVersion version = version(command.version());
        if (version.status() == command.status()) return version.view(pluginId);
        if (version.status() == PluginVersionStatus.Yanked) {
            throw new ConflictException("version-yanked", "Version " + command.version() + " of plugin '"
                    + pluginId + "' is yanked; a yanked version stays yanked");
        }
        apply(new PluginVersionStatusChanged(pluginId, command.version(), command.status()));
        return version(command.version()).view(pluginId);
    }

    /** @throws NotFoundException when the version was never registered */
    public PluginVersion version(String version) {
        PluginVersion found = versions.get(version);
        if (found == null) throw new NotFoundException("Version " + version + " of plugin", pluginId);
        return found;
    }

    /** The version, if new deployments may use it. */
    public PluginVersion deployableVersion(String version) {
        PluginVersion found = version(version);
        if (found.status() == PluginVersionStatus.Yanked) {
            throw new ConflictException("version-yanked", "Version " + version + " of plugin '" + pluginId
                    + "' is yanked and takes no new deployments");
        }
        return found;
    }

    @EventSourcingHandler
    void on(PluginRegistered event) {
        pluginId = event.pluginId();
    }

    @EventSourcingHandler
    void on(PluginVersionRegistered event, @Timestamp Instant registeredAt) {
        versions.put(event.version(), new PluginVersion(event.version(), event.binary(), event.metadata(),
                PluginVersionStatus.Active, registeredAt));
    }

    @EventSourcingHandler
    void on(PluginVersionStatusChanged event) {
        versions.computeIfPresent(event.version(), (v, known) -> known.withStatus(event.status()));
    }
}
