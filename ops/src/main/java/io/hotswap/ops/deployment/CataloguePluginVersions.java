package io.hotswap.ops.deployment;

import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.PluginMetadata;
import io.hotswap.query.plugin.PluginCatalogue;
import io.hotswap.sagas.runtime.PluginVersionSpec;
import io.hotswap.sagas.runtime.PluginVersions;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Plugin versions as the catalogue read model has them, each read once: a registered version never changes. */
@Component
class CataloguePluginVersions implements PluginVersions {

    private final PluginCatalogue catalogue;
    private final Map<String, PluginVersionSpec> read = new ConcurrentHashMap<>();

    CataloguePluginVersions(PluginCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public PluginVersionSpec spec(String pluginId, String version) {
        return read.computeIfAbsent(pluginId + "@" + version, key -> {
            PluginMetadata metadata = catalogue.findVersion(pluginId, version).orElseThrow(() -> missing(pluginId, version))
                    .metadata();
            PluginBinary binary = catalogue.findBinary(pluginId, version).orElseThrow(() -> missing(pluginId, version));
            return new PluginVersionSpec(version, metadata.runtime(), metadata.resources(),
                    metadata.healthCheck(), binary);
        });
    }

    private static IllegalStateException missing(String pluginId, String version) {
        return new IllegalStateException("no version " + version + " of " + pluginId + " in the catalogue");
    }
}
