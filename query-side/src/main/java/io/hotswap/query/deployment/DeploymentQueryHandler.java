package io.hotswap.query.deployment;

import io.hotswap.api.deployment.DeploymentPage;
import io.hotswap.api.deployment.DependencyConflict;
import io.hotswap.api.deployment.DependencyValidation;
import io.hotswap.api.deployment.DeploymentHealthView;
import io.hotswap.api.deployment.DeploymentView;
import io.hotswap.api.deployment.FindDeploymentHealthQuery;
import io.hotswap.api.deployment.FindDeploymentQuery;
import io.hotswap.api.deployment.ListDeploymentsQuery;
import io.hotswap.api.deployment.ValidateDependenciesQuery;
import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.page.PageCursors;
import io.hotswap.api.page.PageRequest;
import io.hotswap.api.plugin.PluginDependency;
import io.hotswap.api.plugin.PluginVersionView;
import io.hotswap.api.semver.SemanticVersion;
import io.hotswap.api.semver.VersionRange;
import io.hotswap.query.plugin.PluginCatalogue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Component
public class DeploymentQueryHandler {

    private final DeploymentBoard board;
    private final PluginCatalogue catalogue;
    private final PageCursors cursors;

    public DeploymentQueryHandler(DeploymentBoard board, PluginCatalogue catalogue, PageCursors cursors) {
        this.board = board;
        this.catalogue = catalogue;
        this.cursors = cursors;
    }

    @QueryHandler
    public Optional<DeploymentView> handle(FindDeploymentQuery query) {
        return board.find(query.deploymentId());
    }

    @QueryHandler
    public Optional<DeploymentHealthView> handle(FindDeploymentHealthQuery query) {
        return board.findHealth(query.deploymentId());
    }

    @QueryHandler
    public DeploymentPage handle(ListDeploymentsQuery query) {
        PageRequest page = query.page();
        List<DeploymentView> read = board.list(query);
        return new DeploymentPage(page.shown(read), page.page(), page.size(), board.count(query),
                cursors.next(ListDeploymentsQuery.LISTING, query.filters(), page, read, DeploymentBoard::key));
    }

    /**
     * Each dependency of the version must run stable (a completed deployment) in the tenant, in the given
     * environment or, when none is given, in some environment, at a version inside its range.
     */
    @QueryHandler
    public DependencyValidation handle(ValidateDependenciesQuery query) {
        PluginVersionView version = catalogue.findVersion(query.pluginId(), query.pluginVersion())
                .orElseThrow(() -> new NotFoundException("Version " + query.pluginVersion() + " of plugin", query.pluginId()));
        List<DeploymentBoard.DeployedVersion> deployed = board.stableVersions(query.tenantId(), query.environment());
        List<PluginDependency> missing = new ArrayList<>();
        List<DependencyConflict> conflicts = new ArrayList<>();
        for (PluginDependency dependency : version.metadata().dependencies()) {
            VersionRange range = VersionRange.parse(dependency.versionRange());
            List<DeploymentBoard.DeployedVersion> candidates = deployed.stream()
                    .filter(d -> d.pluginId().equals(dependency.pluginId())).toList();
            if (candidates.isEmpty()) {
                missing.add(dependency);
            } else if (candidates.stream().noneMatch(d -> range.isSatisfiedBy(SemanticVersion.parse(d.version())))) {
                candidates.forEach(d -> conflicts.add(new DependencyConflict(dependency.pluginId(),
                        dependency.versionRange(), d.version(), d.environment())));
            }
        }
        return new DependencyValidation(missing.isEmpty() && conflicts.isEmpty(), missing, conflicts);
    }
}
