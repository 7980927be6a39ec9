package io.hotswap.projections;

import io.hotswap.api.plugin.PluginRegistered;
import io.hotswap.api.plugin.PluginVersionRegistered;
import io.hotswap.api.plugin.PluginVersionStatusChanged;
import io.hotswap.query.plugin.PluginCatalogue;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;

@Component
@ProcessingGroup("plugin-catalogue")
public class PluginCatalogueProjection {

    private final PluginCatalogue catalogue;

    public PluginCatalogueProjection(PluginCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @EventHandler
    void on(PluginRegistered event, @Timestamp Instant at) {
        catalogue.insertPlugin(event.pluginId(), event.name(), at);
    }

    @EventHandler
    void on(PluginVersionRegistered event, @Timestamp Instant at) {
        catalogue.insertVersion(event.pluginId(), event.version(), event.binary(), event.metadata(), at);
    }

    @EventHandler
    void on(PluginVersionStatusChanged event) {
        catalogue.updateVersionStatus(event.pluginId(), event.version(), event.status());
    }

    @ResetHandler
    void reset() {
        catalogue.deleteAll();
    }
}
