package io.hotswap.rest.tenant;

import io.hotswap.api.error.Input;
import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.page.PageRequest;
import io.hotswap.api.tenant.CreateTenantCommand;
import io.hotswap.api.tenant.FindTenantAsOfQuery;
import io.hotswap.api.tenant.FindTenantQuery;
import io.hotswap.api.tenant.ListTenantsQuery;
import io.hotswap.api.tenant.TenantLimits;
import io.hotswap.api.tenant.TenantPage;
import io.hotswap.api.tenant.TenantQuotas;
import io.hotswap.api.tenant.TenantStatus;
import io.hotswap.api.tenant.TenantUsage;
import io.hotswap.api.tenant.TenantView;
import io.hotswap.rest.security.Caller;
import io.hotswap.rest.security.Role;
import io.hotswap.rest.security.TenantGuard;
import io.hotswap.rest.web.JsonBodies;
import io.hotswap.rest.web.Paging;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@RestController
@RequestMapping("/api/v1/tenants")
public class TenantController {

    /** The body of {@code POST /tenants}, as the guide sends it. */
    record CreateTenantRequest(String tenantId, String name, String namespace, Quotas quotas) {
        record Quotas(Integer maxPlugins, Double maxCpu, Double maxMemoryGB) {
        }
    }

    /**
     * How long a create waits for the tenant view; beyond it, it answers what it sent and the status the command gave
     * (with its own clock).
     */
    private static final Duration PROJECTION_WAIT = Duration.ofSeconds(2);

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final JsonBodies bodies;
    private final TenantGuard guard;
    private final TenantLimits limits;
    private final Paging paging;

    public TenantController(CommandGateway commands, QueryGateway queries, JsonBodies bodies, TenantGuard guard,
                            TenantLimits limits, Paging paging) {
        this.commands = commands;
        this.queries = queries;
        this.bodies = bodies;
        this.guard = guard;
        this.limits = limits;
        this.paging = paging;
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
        // the status the tenant got (Provisioning on Kubernetes): the answer must not guess it
        TenantStatus status = commands.sendAndWait(new CreateTenantCommand(body.tenantId(), body.name().strip(),
                body.namespace(), quotas));
        TenantView created = asProjected(body.tenantId()).orElseGet(() -> new TenantView(body.tenantId(),
                body.name().strip(), body.namespace(), status, quotas, TenantUsage.NONE, Instant.now(), null));
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + body.tenantId())).body(created);
    }

    /** Now, or with {@code asOf} as this request would have been answered then. */
    @GetMapping("/{tenantId}")
    TenantView get(@PathVariable String tenantId, @RequestParam(required = false) Instant asOf,
                   Authentication authentication) {
        guard.requireAccess(Caller.of(authentication), tenantId);
        TenantView tenant = find(tenantId).orElseThrow(() -> new NotFoundException("Tenant", tenantId));
        if (asOf == null) return tenant;
        new Input().past("asOf", asOf).check();
        return queries.query(new FindTenantAsOfQuery(tenantId, asOf), ResponseTypes.optionalInstanceOf(TenantView.class))
                .join().orElseThrow(() -> NotFoundException.notYetAt("Tenant", tenantId, asOf));
    }

    /**
     * The new tenant as {@code GET} will show it (its {@code createdAt} is the event's time, not this method's): the
     * view is written by a projection a moment after the command, so it is looked for briefly.
     */
    private Optional<TenantView> asProjected(String tenantId) {
        long deadline = System.nanoTime() + PROJECTION_WAIT.toNanos();
        try {
            do {
                Optional<TenantView> view = find(tenantId);
                if (view.isPresent()) return view;
                Thread.sleep(10);
            } while (System.nanoTime() < deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    /** Every tenant for platform admins, by id; a tenant principal sees its own (a page of one). */
    @GetMapping
    TenantPage list(@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size,
                    @RequestParam(required = false) String after, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        PageRequest wanted = paging.read(ListTenantsQuery.LISTING, Map.of(), page, size, after).page();
        if (caller.isPlatformAdmin()) return queries.query(new ListTenantsQuery(wanted), TenantPage.class).join();
        Optional<TenantView> own = find(guard.scope(caller, null));
        boolean onThisPage = wanted.after() == null ? wanted.page() == 0
                : own.isPresent() && own.get().tenantId().compareTo(wanted.after().get(0)) > 0;
        return new TenantPage(onThisPage ? own.stream().toList() : List.of(), wanted.page(), wanted.size(),
                own.isPresent() ? 1 : 0, null);
    }

    private Optional<TenantView> find(String tenantId) {
        return queries.query(new FindTenantQuery(tenantId), ResponseTypes.optionalInstanceOf(TenantView.class)).join();
    }
}
