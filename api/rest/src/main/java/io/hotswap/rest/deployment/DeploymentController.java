package io.hotswap.rest.deployment;

import io.hotswap.api.audit.StoredEvent;
import io.hotswap.api.deployment.AbortDeploymentCommand;
import io.hotswap.api.deployment.DependencyValidation;
import io.hotswap.api.deployment.DeploymentAccepted;
import io.hotswap.api.deployment.DeploymentHealthView;
import io.hotswap.api.deployment.DeploymentPage;
import io.hotswap.api.deployment.DeploymentPlan;
import io.hotswap.api.deployment.DeploymentStatus;
import io.hotswap.api.deployment.DeploymentStrategy;
import io.hotswap.api.deployment.DeploymentView;
import io.hotswap.api.deployment.FindDeploymentAsOfQuery;
import io.hotswap.api.deployment.FindDeploymentHealthQuery;
import io.hotswap.api.deployment.FindDeploymentQuery;
import io.hotswap.api.deployment.ListDeploymentsQuery;
import io.hotswap.api.deployment.PauseDeploymentCommand;
import io.hotswap.api.deployment.PromoteDeploymentCommand;
import io.hotswap.api.deployment.ResumeDeploymentCommand;
import io.hotswap.api.deployment.RollbackDeploymentCommand;
import io.hotswap.api.deployment.StartDeploymentCommand;
import io.hotswap.api.deployment.ValidateDependenciesQuery;
import io.hotswap.api.error.Input;
import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.page.PageCursor;
import io.hotswap.rest.audit.AuditEvents;
import io.hotswap.rest.security.Caller;
import io.hotswap.rest.security.Role;
import io.hotswap.rest.security.TenantGuard;
import io.hotswap.rest.web.JsonBodies;
import io.hotswap.rest.web.Paging;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

@RestController
@RequestMapping("/api/v1/plugin-deployments")
public class DeploymentController {

    record StartDeploymentRequest(String pluginId, String pluginVersion, String tenantId, String environment,
                                  String strategy, Map<String, JsonNode> strategyConfig, Integer totalInstances) {
    }

    record ValidateDependenciesRequest(String pluginId, String pluginVersion, String tenantId, String environment) {
    }

    /**
     * The answer to a start: where to follow the deployment, the plan it runs and what it holds of the tenant's
     * quotas. A dry run answers the same with {@code dryRun: true}, no status, and nothing started.
     */
    record DeploymentStartResponse(String deploymentId, DeploymentStatus status, boolean dryRun, String tenantId,
                                   String pluginId, String pluginVersion, String environment,
                                   DeploymentStrategy strategy, int totalInstances, String previousVersion,
                                   DeploymentPlan plan, double reservedCpu, double reservedMemoryGB) {
    }

    /** {@code removePlugin}: a rollback of a completed first install, which restores nothing, is meant. */
    record ReasonRequest(String reason, Boolean removePlugin) {

        boolean removesPlugin() {
            return Boolean.TRUE.equals(removePlugin);
        }
    }

    /** The answer to pause, resume, promote, rollback and abort: the status right after it. */
    record LifecycleResponse(String deploymentId, DeploymentStatus status, String reason) {
    }

    /** A deployment's stored events, oldest first, as {@code GET /audit/events} shows them. */
    record DeploymentHistory(String deploymentId, List<StoredEvent> events) {
    }

    /** A stream closes after this long; clients reconnect with Last-Event-ID. */
    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final JsonBodies bodies;
    private final TenantGuard guard;
    private final DeploymentEventStream stream;
    private final AuditEvents storedEvents;
    private final Paging paging;

    public DeploymentController(CommandGateway commands, QueryGateway queries, JsonBodies bodies, TenantGuard guard,
                                DeploymentEventStream stream, AuditEvents storedEvents, Paging paging) {
        this.commands = commands;
        this.queries = queries;
        this.bodies = bodies;
        this.guard = guard;
        this.stream = stream;
        this.storedEvents = storedEvents;
        this.paging = paging;
    }

    @PostMapping
    ResponseEntity<DeploymentStartResponse> start(@RequestParam(defaultValue = "false") boolean dryRun,
                                                  HttpServletRequest request, Authentication authentication) {
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
                body.totalInstances(), dryRun));
        DeploymentStartResponse response = new DeploymentStartResponse(dryRun ? null : deploymentId,
                accepted.status(), dryRun, body.tenantId(), body.pluginId(), body.pluginVersion(), body.environment(),
                accepted.plan().strategy(), body.totalInstances(), accepted.previousVersion(), accepted.plan(),
                accepted.reservedCpu(), accepted.reservedMemoryGB());
        return dryRun ? ResponseEntity.ok(response)
                : ResponseEntity.accepted().location(URI.create("/api/v1/plugin-deployments/" + deploymentId)).body(response);
    }

    /** Now, or with {@code asOf} as this request would have been answered then. */
    @GetMapping("/{deploymentId}")
    DeploymentView get(@PathVariable String deploymentId, @RequestParam(required = false) Instant asOf,
                       Authentication authentication) {
        DeploymentView deployment = find(deploymentId);
        guard.requireAccess(Caller.of(authentication), deployment.tenantId());
        if (asOf == null) return deployment;
        new Input().past("asOf", asOf).check();
        return queries.query(new FindDeploymentAsOfQuery(deploymentId, deployment.tenantId(), asOf),
                        ResponseTypes.optionalInstanceOf(DeploymentView.class)).join()
                .orElseThrow(() -> NotFoundException.notYetAt("Deployment", deploymentId, asOf));
    }

    /** The deployment's own events from the event store, not a read model. */
    @GetMapping("/{deploymentId}/history")
    DeploymentHistory history(@PathVariable String deploymentId, Authentication authentication) {
        guard.requireAccess(Caller.of(authentication), find(deploymentId).tenantId());
        return new DeploymentHistory(deploymentId, storedEvents.ofAggregate(deploymentId));
    }

    @GetMapping
    DeploymentPage list(@RequestParam(required = false) String tenantId,
                              @RequestParam(required = false) String pluginId,
                              @RequestParam(required = false) String environment,
                              @RequestParam(required = false) String status,
                              @RequestParam(required = false) Integer page,
                              @RequestParam(required = false) Integer size,
                              @RequestParam(required = false) String after,
                              Authentication authentication) {
        DeploymentStatus wanted = status(status);
        Paging.Listing listing = paging.read(ListDeploymentsQuery.LISTING, PageCursor.filters("tenantId", tenantId,
                "pluginId", pluginId, "environment", environment, "status", wanted == null ? null : wanted.name()),
                page, size, after);
        String scope = guard.scope(Caller.of(authentication), listing.filter("tenantId"));
        return queries.query(new ListDeploymentsQuery(scope, listing.filter("pluginId"), listing.filter("environment"),
                status(listing.filter("status")), listing.page()), DeploymentPage.class).join();
    }

    private static DeploymentStatus status(String status) {
        return status == null ? null : Arrays.stream(DeploymentStatus.values())
                .filter(s -> s.name().equalsIgnoreCase(status)).findFirst()
                .orElseThrow(() -> new InvalidInputException("status", "'" + status + "' is not a status; one of "
                        + Arrays.toString(DeploymentStatus.values())));
    }

    @PostMapping("/{deploymentId}/rollback")
    ResponseEntity<LifecycleResponse> rollback(@PathVariable String deploymentId, HttpServletRequest request,
                                               Authentication authentication) {
        return lifecycle(deploymentId, authentication, request,
                (caller, body) -> new RollbackDeploymentCommand(deploymentId, body.reason(), caller.subject(), false,
                        body.removesPlugin()));
    }

    @PostMapping("/{deploymentId}/abort")
    ResponseEntity<LifecycleResponse> abort(@PathVariable String deploymentId, HttpServletRequest request,
                                            Authentication authentication) {
        return lifecycle(deploymentId, authentication, request,
                (caller, body) -> new AbortDeploymentCommand(deploymentId, body.reason(), caller.subject()));
    }

    @PostMapping("/{deploymentId}/pause")
    ResponseEntity<LifecycleResponse> pause(@PathVariable String deploymentId, Authentication authentication) {
        return lifecycle(deploymentId, authentication, null,
                (caller, body) -> new PauseDeploymentCommand(deploymentId, caller.subject()));
    }

    @PostMapping("/{deploymentId}/resume")
    ResponseEntity<LifecycleResponse> resume(@PathVariable String deploymentId, Authentication authentication) {
        return lifecycle(deploymentId, authentication, null,
                (caller, body) -> new ResumeDeploymentCommand(deploymentId, caller.subject()));
    }

    @PostMapping("/{deploymentId}/promote")
    ResponseEntity<LifecycleResponse> promote(@PathVariable String deploymentId, Authentication authentication) {
        return lifecycle(deploymentId, authentication, null,
                (caller, body) -> new PromoteDeploymentCommand(deploymentId, caller.subject()));
    }

    /**
     * The shape every lifecycle request shares: a tenant admin of the deployment's tenant, a {@code reason} in the
     * body when {@code request} is given, one command, and the status it leaves the deployment in.
     */
    private ResponseEntity<LifecycleResponse> lifecycle(String deploymentId, Authentication authentication,
                                                        HttpServletRequest request,
                                                        BiFunction<Caller, ReasonRequest, Object> command) {
        Caller caller = Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN, Role.TENANT_ADMIN);
        guard.requireAccess(caller, find(deploymentId).tenantId());
        ReasonRequest body = new ReasonRequest(null, null);
        if (request != null) {
            ReasonRequest read = bodies.read(request, ReasonRequest.class);
            new Input().freeText("reason", read.reason(), 1000).check();
            body = new ReasonRequest(read.reason().strip(), read.removePlugin());
        }
        DeploymentStatus status = commands.sendAndWait(command.apply(caller, body));
        return ResponseEntity.accepted().body(new LifecycleResponse(deploymentId, status, body.reason()));
    }

    @GetMapping("/{deploymentId}/health")
    DeploymentHealthView health(@PathVariable String deploymentId, Authentication authentication) {
        guard.requireAccess(Caller.of(authentication), find(deploymentId).tenantId());
        return queries.query(new FindDeploymentHealthQuery(deploymentId),
                        ResponseTypes.optionalInstanceOf(DeploymentHealthView.class)).join()
                .orElseThrow(() -> new NotFoundException("Deployment", deploymentId));
    }

    /**
     * The deployment's progress as server-sent events: every event so far, then each new one as it happens, until
     * the deployment ends. Reconnecting clients send {@code Last-Event-ID} and get only what they missed.
     */
    @GetMapping(path = "/{deploymentId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable String deploymentId,
                      @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId,
                      Authentication authentication) {
        guard.requireAccess(Caller.of(authentication), find(deploymentId).tenantId());
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
        stream.follow(deploymentId, lastEventId == null ? -1 : lastEventId, new DeploymentEventStream.Listener() {
            @Override
            public boolean on(DeploymentEventStream.DeploymentEvent event) {
                return send(SseEmitter.event().id(Long.toString(event.sequence())).name(event.type()).data(event));
            }

            @Override
            public boolean idle() {
                return send(SseEmitter.event().comment("still following " + deploymentId));
            }

            @Override
            public void closed(Throwable failure) {
                if (failure == null) emitter.complete(); else emitter.completeWithError(failure);
            }

            private boolean send(SseEmitter.SseEventBuilder event) {
                try {
                    emitter.send(event);
                    return true;
                } catch (IOException | IllegalStateException gone) {
                    return false;
                }
            }
        });
        return emitter;
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
