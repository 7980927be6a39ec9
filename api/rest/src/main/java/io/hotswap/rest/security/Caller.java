package io.hotswap.rest.security;

import io.hotswap.api.error.ForbiddenException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Who is calling, as the verified token says: subject, roles and, for tenant roles, the tenant. */
public record Caller(String subject, Set<String> roles, String tenantId) {

    public static Caller of(Authentication authentication) {
        Jwt jwt = (Jwt) authentication.getPrincipal();
        List<String> roles = jwt.getClaimAsStringList("roles");
        return new Caller(jwt.getSubject(), roles == null ? Set.of() : Set.copyOf(roles), jwt.getClaimAsString("tenant_id"));
    }

    public boolean isPlatformAdmin() {
        return roles.contains(Role.PLATFORM_ADMIN);
    }

    /** @throws ForbiddenException unless the caller has one of the roles */
    public Caller requireAnyRole(String... allowed) {
        if (Arrays.stream(allowed).noneMatch(roles::contains)) {
            throw new ForbiddenException("This needs one of the roles " + String.join(", ", allowed)
                    + "; the token of '" + subject + "' has " + (roles.isEmpty() ? "none" : String.join(", ", roles)));
        }
        return this;
    }
}
