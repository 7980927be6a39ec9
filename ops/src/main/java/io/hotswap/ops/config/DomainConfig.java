package io.hotswap.ops.config;

import io.hotswap.api.tenant.TenantLimits;
import io.hotswap.command.deployment.Deployment;
import io.hotswap.command.deployment.DeploymentDefaults;
import io.hotswap.command.deployment.DeploymentPlanner;
import io.hotswap.command.deployment.RollbackGuard;
import io.hotswap.command.deployment.StartDeploymentHandler;
import io.hotswap.command.deployment.TenantRollbackGuard;
import io.hotswap.command.plugin.Plugin;
import io.hotswap.command.tenant.JdbcTenantDirectory;
import io.hotswap.command.tenant.Tenant;
import io.hotswap.command.tenant.TenantDirectory;
import io.hotswap.rest.plugin.BinaryLimit;
import io.hotswap.sagas.runtime.PluginRuntime;
import org.axonframework.modelling.command.Repository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;


/** Wires the domain rules to their settings, and the ports to their adapters. */
@Configuration
public class DomainConfig {

    @Bean
    TenantLimits tenantLimits(HotSwapProperties properties) {
        return new TenantLimits(properties.tenants().maxTenants(), properties.tenants().maxPluginsPerTenant());
    }

    @Bean
    TenantDirectory tenantDirectory(JdbcClient jdbc, HotSwapProperties properties) {
        return new JdbcTenantDirectory(jdbc, properties.tenants().maxTenants());
    }

    @Bean
    DeploymentPlanner deploymentPlanner(HotSwapProperties properties) {
        HotSwapProperties.Deployment d = properties.deployment();
        return new DeploymentPlanner(new DeploymentDefaults(d.defaultStrategy(), d.healthCheckInterval(),
                d.failureThreshold(), d.progressDeadline(), d.maxInstances()));
    }

    @Bean
    StartDeploymentHandler startDeploymentHandler(Repository<Plugin> pluginRepository, Repository<Tenant> tenantRepository,
                                                  Repository<Deployment> deploymentRepository, DeploymentPlanner planner,
                                                  PluginRuntime runtime) {
        return new StartDeploymentHandler(pluginRepository, tenantRepository, deploymentRepository, planner,
                runtime.runtimeTypes());
    }

    @Bean
    RollbackGuard rollbackGuard(Repository<Tenant> tenantRepository) {
        return new TenantRollbackGuard(tenantRepository);
    }

    @Bean
    BinaryLimit binaryLimit(HotSwapProperties properties) {
        return new BinaryLimit(properties.storage().maxBinaryBytes());
    }
}
