package io.hotswap.sagas.runtime;

/** Where the saga finds what a runtime needs to know about a plugin version. */
public interface PluginVersions {

    /** The version's spec; a registered version never changes, so the answer can be kept. */
    PluginVersionSpec spec(String pluginId, String version);
}
