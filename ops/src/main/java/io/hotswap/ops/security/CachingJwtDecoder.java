package io.hotswap.ops.security;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the tokens it has verified until they expire: a client sends the same token with every request, and
 * checking its signature and claims again each time was a tenth of a request's CPU. Only a byte-identical token
 * (signature included) is served from memory; anything else goes to the real decoder.
 */
final class CachingJwtDecoder implements JwtDecoder {

    /** Past this many tokens the memory is cleared: enough for every active client, never a leak. */
    static final int MAX_TOKENS = 10_000;

    private final JwtDecoder verifier;
    private final Clock clock;
    private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

    CachingJwtDecoder(JwtDecoder verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) {
        Jwt known = verified.get(token);
        if (known != null && known.getExpiresAt() != null && known.getExpiresAt().isAfter(clock.instant())) return known;
        Jwt jwt = verifier.decode(token); // throws for a bad token, which is never remembered
        if (verified.size() >= MAX_TOKENS) verified.clear();
        if (jwt.getExpiresAt() != null) verified.put(token, jwt);
        return jwt;
    }
}
