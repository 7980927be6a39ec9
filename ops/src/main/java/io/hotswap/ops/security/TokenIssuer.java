package io.hotswap.ops.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import javax.crypto.SecretKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Mints tokens the server accepts: for the local admin token, the {@code token} command and tests. */
public final class TokenIssuer {

    private final NimbusJwtEncoder encoder;
    private final String issuer;
    private final String audience;

    public TokenIssuer(SecretKey key, String issuer, String audience) {
        this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(key));
        this.issuer = issuer;
        this.audience = audience;
    }

    /** @param tenantId the {@code tenant_id} claim, or null for platform roles */
    public String issue(String subject, List<String> roles, String tenantId, Duration validFor) {
        Instant now = Instant.now();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(issuer).audience(List.of(audience)).subject(subject)
                .issuedAt(now).expiresAt(now.plus(validFor))
                .claim("roles", roles);
        if (tenantId != null) claims.claim("tenant_id", tenantId);
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims.build()))
                .getTokenValue();
    }
}
