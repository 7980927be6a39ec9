package io.hotswap.ops.runtime;

import io.hotswap.sagas.runtime.PluginRuntime;

/**
 * One way of running plugin instances, chosen by {@code Runtime.Provider}. An adapter adds a bean of this type from
 * its own package (runtime/local, later runtime/kubernetes) with its own settings; no configuration class names it.
 */
public interface PluginRuntimeProvider {

    /** The value of {@code Runtime.Provider} that chooses it, e.g. {@code Local}. */
    String name();

    /** Builds the runtime. Called for the chosen provider only, so a provider not chosen starts nothing. */
    PluginRuntime create() throws Exception;
}
