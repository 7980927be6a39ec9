package io.hotswap.api.plugin;

/** Yanked versions take no new deployments; deprecated ones still do, with a warning to the reader. */
public enum PluginVersionStatus { Active, Deprecated, Yanked }
