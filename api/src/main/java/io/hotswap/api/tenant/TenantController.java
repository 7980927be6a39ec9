package io.hotswap.api.tenant;

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
import java.time.Instant;

@RestController
@RequestMapping("/api/v1/tenants")
public class TenantController {

    /** The body of {@code POST /tenants}, as the guide sends it. */
    record CreateTenantRequest(String tenantId, String name, String namespace, Quotas quotas) {
        record Quotas(Integer maxPlugins, Double maxCpu, Double maxMemoryGB) {
        }
    }

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final JsonBodies bodies;
    private final TenantGuard guard;
    private final TenantLimits limits;

    public TenantController(CommandGateway commands, QueryGateway queries, JsonBodies bodies, TenantGuard guard,
                            TenantLimits limits) {
        this.commands = commands;
        this.queries = queries;
        this.bodies = bodies;
        this.guard = guard;
        this.limits = limits;
    }

    @PostMapping
    ResponseEntity<TenantView> create(HttpServletRequest request, Authentication authentication) {
        Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN);
        CreateTenantRequest body = bodies.read(request, CreateTenantRequest.class);
        Input input = new Input().dnsLabel("tenantId", body.tenantId()).text("name", body.name(), 200)
                .dnsLabel("namespace", body.namespace()).required("quotas", body.quotas());
        if (body.quotas() != null) {
            input.range("quotas.maxPlugins", body.quotas().maxPlugins(), 1, limits.maxPluginsPerTenant())
                    .range("quotas.maxCpu", body.quotas().maxCpu(), 0.1, 10_000)
                    .range("quotas.maxMemoryGB", body.quotas().maxMemoryGB(), 0.1, 100_000);
        }
        input.check();
        TenantQuotas quotas = new TenantQuotas(body.quotas().maxPlugins(), body.quotas().maxCpu(),
                body.quotas().maxMemoryGB());
        commands.sendAndWait(new CreateTenantCommand(body.tenantId(), body.name().strip(), body.namespace(), quotas));
        TenantView created = new TenantView(body.tenantId(), body.name().strip(), body.namespace(), TenantStatus.Active,
                quotas, TenantUsage.NONE, Instant.now());
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + body.tenantId())).body(created);
    }

    @GetMapping("/{tenantId}")
    TenantView get(@PathVariable String tenantId, Authentication authentication) {
        guard.requireAccess(Caller.of(authentication), tenantId);
        return queries.query(new FindTenantQuery(tenantId), ResponseTypes.optionalInstanceOf(TenantView.class)).join()
                .orElseThrow(() -> new NotFoundException("Tenant", tenantId));
    }

    @GetMapping
    TenantPage list(@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size,
                          Authentication authentication) {
        Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN);
        return queries.query(new ListTenantsQuery(Paging.of(page, size)), TenantPage.class).join();
    }
}
