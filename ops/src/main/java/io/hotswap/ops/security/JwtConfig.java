package io.hotswap.ops.security;

import io.hotswap.api.page.PageCursors;
import io.hotswap.ops.config.HotSwapProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import javax.crypto.SecretKey;
import java.time.Clock;
import java.util.Collection;

/**
 * Accepts HS256 tokens signed with the configured secret, from our issuer, for our audience, not expired; signs listing
 * cursors with a key of its own drawn from that secret.
 */
@Configuration
public class JwtConfig {

    @Bean
    SecretKey jwtKey(HotSwapProperties properties) {
        return JwtKeys.resolve(properties.authentication().jwtSecret(), properties.data().directory());
    }

    @Bean
    JwtDecoder jwtDecoder(SecretKey jwtKey, HotSwapProperties properties) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(jwtKey).macAlgorithm(MacAlgorithm.HS256).build();
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<Collection<String>>("aud",
                aud -> aud != null && aud.contains(properties.authentication().jwtAudience()));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.authentication().jwtIssuer()), audience));
        return new CachingJwtDecoder(decoder, Clock.systemUTC());
    }

    /** Listing cursors are signed with a key drawn from the same secret, so every replica reads the others'. */
    @Bean
    PageCursors pageCursors(SecretKey jwtKey) {
        return new PageCursors(jwtKey.getEncoded());
    }

    @Bean
    TokenIssuer tokenIssuer(SecretKey jwtKey, HotSwapProperties properties) {
        return new TokenIssuer(jwtKey, properties.authentication().jwtIssuer(), properties.authentication().jwtAudience());
    }
}
