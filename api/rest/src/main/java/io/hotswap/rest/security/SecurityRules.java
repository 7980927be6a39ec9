package io.hotswap.rest.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.rest.web.ProblemResponses;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.savedrequest.NullRequestCache;

import java.io.IOException;

/**
 * Every {@code /api/**} call needs a valid bearer token (HS256, issuer and audience checked by the JwtDecoder);
 * {@code /health} is open. Finer rules (roles, tenant scope) live in the controllers through {@link Caller} and
 * {@link TenantGuard}, where the resource's tenant is known.
 */
@Configuration
public class SecurityRules {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ObjectMapper mapper, RateLimiter rateLimiter) throws Exception {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName("roles");
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter authentication = new JwtAuthenticationConverter();
        authentication.setJwtGrantedAuthoritiesConverter(roles);
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.requestCache(new NullRequestCache()))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/health", "/error").permitAll()
                        // the management port is internal: probes and Prometheus scrape it without a token
                        .requestMatchers(EndpointRequest.to("health", "prometheus", "info")).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(authentication))
                        .authenticationEntryPoint((request, response, e) -> write(mapper, response,
                                ProblemResponses.problem(401, "unauthorized", "A valid bearer token is required: "
                                        + e.getMessage()), true))
                        .accessDeniedHandler((request, response, e) -> write(mapper, response,
                                ProblemResponses.problem(403, "forbidden", "Your token does not allow this"), false)))
                .exceptionHandling(Customizer.withDefaults())
                .addFilterAfter(new RateLimitFilter(rateLimiter, mapper), BearerTokenAuthenticationFilter.class)
                .build();
    }

    private static void write(ObjectMapper mapper, HttpServletResponse response, ProblemDetail problem,
                              boolean challenge) throws IOException {
        response.setStatus(problem.getStatus());
        if (challenge) response.setHeader("WWW-Authenticate", "Bearer");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), problem);
    }
}
