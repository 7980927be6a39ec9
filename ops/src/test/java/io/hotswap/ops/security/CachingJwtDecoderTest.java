package io.hotswap.ops.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingJwtDecoderTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Instant EXPIRES_AT = NOW.plus(Duration.ofMinutes(5));

    private final AtomicInteger verifications = new AtomicInteger();
    private final JwtDecoder verifier = token -> {
        verifications.incrementAndGet();
        if (token.startsWith("forged")) throw new BadJwtException("bad signature");
        return Jwt.withTokenValue(token).header("alg", "HS256").subject("alice").issuedAt(NOW).expiresAt(EXPIRES_AT).build();
    };

    @Test
    void aTokenIsVerifiedOnceUntilItExpires() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(verifier, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(decoder.decode("good").getSubject()).isEqualTo("alice");
        assertThat(decoder.decode("good").getSubject()).isEqualTo("alice");
        assertThat(verifications).hasValue(1);

        CachingJwtDecoder later = new CachingJwtDecoder(verifier, Clock.fixed(EXPIRES_AT, ZoneOffset.UTC));
        later.decode("good");
        later.decode("good");
        assertThat(verifications).as("an expired token always goes back to the verifier").hasValue(3);
    }

    @Test
    void aRejectedTokenIsNeverRemembered() {
        CachingJwtDecoder decoder = new CachingJwtDecoder(verifier, Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThat(verifications).hasValue(2);
    }
}
