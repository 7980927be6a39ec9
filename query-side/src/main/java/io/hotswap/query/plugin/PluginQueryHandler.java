package io.hotswap.query.plugin;

import io.hotswap.api.page.PageCursors;
import io.hotswap.api.page.PageRequest;
import io.hotswap.api.plugin.FindPluginBinaryQuery;
import io.hotswap.api.plugin.FindPluginQuery;
import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.FindPluginVersionQuery;
import io.hotswap.api.plugin.ListPluginsQuery;
import io.hotswap.api.plugin.PluginPage;
import io.hotswap.api.plugin.PluginVersionView;
import io.hotswap.api.plugin.PluginView;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

@Component
public class PluginQueryHandler {

    private final PluginCatalogue catalogue;
    private final PageCursors cursors;

    public PluginQueryHandler(PluginCatalogue catalogue, PageCursors cursors) {
        this.catalogue = catalogue;
        this.cursors = cursors;
    }

    @QueryHandler
    public Optional<PluginView> handle(FindPluginQuery query) {
        return catalogue.find(query.pluginId());
    }

    @QueryHandler
    public Optional<PluginVersionView> handle(FindPluginVersionQuery query) {
        return catalogue.findVersion(query.pluginId(), query.version());
    }

    @QueryHandler
    public Optional<PluginBinary> handle(FindPluginBinaryQuery query) {
        return catalogue.findBinary(query.pluginId(), query.version());
    }

    @QueryHandler
    public PluginPage handle(ListPluginsQuery query) {
        PageRequest page = query.page();
        List<PluginView> read = catalogue.list(query.search(), page);
        return new PluginPage(page.shown(read), page.page(), page.size(), catalogue.count(query.search()),
                cursors.next(ListPluginsQuery.LISTING, query.filters(), page, read, PluginCatalogue::key));
    }
}
