package io.hotswap.rest.projection;

import io.hotswap.api.page.PageCursor;
import io.hotswap.rest.security.Caller;
import io.hotswap.rest.security.Role;
import io.hotswap.rest.web.Paging;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Projection status, replay and dead letters, for platform admins: {@code GET /api/v1/projections/audit-trail}
 * (position, head, progress, dead letters), {@code POST /api/v1/projections/audit-trail/replay},
 * {@code GET /api/v1/projections/audit-trail/dead-letters}, {@code POST /api/v1/projections/audit-trail/dead-letters/retry}.
 */
@RestController
@RequestMapping("/api/v1/projections")
public class ProjectionController {

    private final Projections projections;
    private final Paging paging;

    public ProjectionController(Projections projections, Paging paging) {
        this.projections = projections;
        this.paging = paging;
    }

    @GetMapping
    List<Projections.Status> list(Authentication authentication) {
        Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN);
        return projections.list();
    }

    @GetMapping("/{name}")
    Projections.Status status(@PathVariable String name, Authentication authentication) {
        Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN);
        return projections.status(name);
    }

    @PostMapping("/{name}/replay")
    ResponseEntity<Projections.Status> replay(@PathVariable String name, Authentication authentication) {
        Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN);
        return ResponseEntity.accepted().body(projections.replay(name));
    }

    @GetMapping("/{name}/dead-letters")
    Projections.DeadLetterPage deadLetters(@PathVariable String name, @RequestParam(required = false) Integer page,
                                           @RequestParam(required = false) Integer size,
                                           @RequestParam(required = false) String after, Authentication authentication) {
        Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN);
        return projections.deadLetters(name, paging.read(Projections.DeadLetterPage.LISTING,
                PageCursor.filters("projection", name), page, size, after).page());
    }

    @PostMapping("/{name}/dead-letters/retry")
    Projections.Retry retryDeadLetters(@PathVariable String name, Authentication authentication) {
        Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN);
        return projections.retryDeadLetters(name);
    }
}
