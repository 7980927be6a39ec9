package io.hotswap.api.plugin;

import java.util.List;

/** One page of a listing and the total count. A concrete type, because Axon matches query results by class. */
public record PluginPage(List<PluginView> items, int page, int size, long total) {
}
