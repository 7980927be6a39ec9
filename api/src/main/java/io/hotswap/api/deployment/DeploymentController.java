package io.hotswap.api.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.error.Input;
import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.security.Caller;
import io.hotswap.api.security.Role;
import io.hotswap.api.security.TenantGuard;
import io.hotswap.api.web.JsonBodies;
import io.hotswap.api.web.Paging;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping("/api/v1/plugin-deployments")
public class DeploymentController {

    record StartDeploymentRequest(String pluginId, String pluginVersion, String tenantId, String environment,
                                  String strategy, Map<String, JsonNode> strategyConfig, Integer totalInstances) {
    }

    record RollbackRequest(String reason) {
    }

    record ValidateDependenciesRequest(String pluginId, String pluginVersion, String tenantId, String environment) {
    }

    /** The answer to a start: where to follow the deployment, and the plan it will run. */
    record DeploymentStartResponse(String deploymentId, DeploymentStatus status, String tenantId, String pluginId,
                                   String pluginVersion, String environment, DeploymentStrategy strategy,
                                   int totalInstances, String previousVersion, DeploymentPlan plan) {
    }

    record RollbackResponse(String deploymentId, DeploymentStatus status, String reason) {
    }

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final JsonBodies bodies;
    private final TenantGuard guard;

    public DeploymentController(CommandGateway commands, QueryGateway queries, JsonBodies bodies, TenantGuard guard) {
        this.commands = commands;
        this.queries = queries;
        this.bodies = bodies;
        this.guard = guard;
    }

    @PostMapping
    ResponseEntity<DeploymentStartResponse> start(HttpServletRequest request, Authentication authentication) {
        Caller caller = Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN);
        StartDeploymentRequest body = bodies.read(request, StartDeploymentRequest.class);
        Input input = new Input().dnsLabel("pluginId", body.pluginId()).semver("pluginVersion", body.pluginVersion())
                .dnsLabel("tenantId", body.tenantId()).environment("environment", body.environment())
                .required("totalInstances", body.totalInstances());
        Map<String, String> config = strategyConfig(body.strategyConfig(), input);
        input.check();
        guard.requireAccess(caller, body.tenantId());
        String deploymentId = UUID.randomUUID().toString();
        DeploymentAccepted accepted = commands.sendAndWait(new StartDeploymentCommand(deploymentId, body.tenantId(),
                body.pluginId(), body.pluginVersion(), body.environment(), body.strategy(), config,
                body.totalInstances()));
        return ResponseEntity.accepted().location(URI.create("/api/v1/plugin-deployments/" + deploymentId))
                .body(new DeploymentStartResponse(deploymentId, accepted.status(), body.tenantId(), body.pluginId(),
                        body.pluginVersion(), body.environment(), accepted.plan().strategy(), body.totalInstances(),
                        accepted.previousVersion(), accepted.plan()));
    }

    @GetMapping("/{deploymentId}")
    DeploymentView get(@PathVariable String deploymentId, Authentication authentication) {
        DeploymentView deployment = find(deploymentId);
        guard.requireAccess(Caller.of(authentication), deployment.tenantId());
        return deployment;
    }

    @GetMapping
    DeploymentPage list(@RequestParam(required = false) String tenantId,
                              @RequestParam(required = false) String pluginId,
                              @RequestParam(required = false) String environment,
                              @RequestParam(required = false) String status,
                              @RequestParam(required = false) Integer page,
                              @RequestParam(required = false) Integer size,
                              Authentication authentication) {
        String scope = guard.scope(Caller.of(authentication), tenantId);
        DeploymentStatus wanted = status == null ? null : Arrays.stream(DeploymentStatus.values())
                .filter(s -> s.name().equalsIgnoreCase(status)).findFirst()
                .orElseThrow(() -> new InvalidInputException("status", "'" + status + "' is not a status; one of "
                        + Arrays.toString(DeploymentStatus.values())));
        return queries.query(new ListDeploymentsQuery(scope, pluginId, environment, wanted, Paging.of(page, size)),
                DeploymentPage.class).join();
    }

    @PostMapping("/{deploymentId}/rollback")
    ResponseEntity<RollbackResponse> rollback(@PathVariable String deploymentId, HttpServletRequest request,
                                              Authentication authentication) {
        Caller caller = Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN);
        DeploymentView deployment = find(deploymentId);
        guard.requireAccess(caller, deployment.tenantId());
        RollbackRequest body = bodies.read(request, RollbackRequest.class);
        new Input().text("reason", body.reason(), 1000).check();
        DeploymentStatus status = commands.sendAndWait(new RollbackDeploymentCommand(deploymentId,
                body.reason().strip(), caller.subject(), false));
        return ResponseEntity.accepted().body(new RollbackResponse(deploymentId, status, body.reason().strip()));
    }

    @GetMapping("/{deploymentId}/health")
    DeploymentHealthView health(@PathVariable String deploymentId, Authentication authentication) {
        guard.requireAccess(Caller.of(authentication), find(deploymentId).tenantId());
        return queries.query(new FindDeploymentHealthQuery(deploymentId),
                        ResponseTypes.optionalInstanceOf(DeploymentHealthView.class)).join()
                .orElseThrow(() -> new NotFoundException("Deployment", deploymentId));
    }

    @PostMapping("/validate-dependencies")
    DependencyValidation validateDependencies(HttpServletRequest request, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        ValidateDependenciesRequest body = bodies.read(request, ValidateDependenciesRequest.class);
        Input input = new Input().dnsLabel("pluginId", body.pluginId()).semver("pluginVersion", body.pluginVersion())
                .dnsLabel("tenantId", body.tenantId());
        if (body.environment() != null) input.environment("environment", body.environment());
        input.check();
        guard.requireAccess(caller, body.tenantId());
        return queries.query(new ValidateDependenciesQuery(body.pluginId(), body.pluginVersion(), body.tenantId(),
                body.environment()), DependencyValidation.class).join();
    }

    private DeploymentView find(String deploymentId) {
        return queries.query(new FindDeploymentQuery(deploymentId), ResponseTypes.optionalInstanceOf(DeploymentView.class))
                .join().orElseThrow(() -> new NotFoundException("Deployment", deploymentId));
    }

    /** Accepts strings and numbers (the guide sends strings), refuses anything else by field. */
    private static Map<String, String> strategyConfig(Map<String, JsonNode> raw, Input input) {
        Map<String, String> config = new LinkedHashMap<>();
        if (raw == null) return config;
        raw.forEach((key, value) -> {
            if (value != null && (value.isTextual() || value.isNumber())) {
                config.put(key, value.asText());
            } else {
                input.reject("strategyConfig." + key, "must be a string or a number");
            }
        });
        return config;
    }
}
