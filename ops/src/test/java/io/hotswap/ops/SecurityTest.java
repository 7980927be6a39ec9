package io.hotswap.ops;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.ServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SecurityTest extends ServerTest {

    private static String deploymentOfAcme;

    @Autowired
    private SecretKey jwtKey;
    @LocalManagementPort
    private int managementPort;

    @BeforeEach
    void twoTenants() {
        if (deploymentOfAcme != null) return;
        createTenant("tenant-acme", "acme-ns");
        createTenant("tenant-other", "other-ns");
        registerPlugin("guarded-plugin", "1.0.0", "guarded".getBytes(), "{}");
        deploymentOfAcme = startDeployment("tenant-acme", "guarded-plugin", "1.0.0", "Production");
    }

    @Test
    void refusesRequestsWithoutAToken() {
        assertUnauthorized(http.get("/api/v1/tenants/tenant-acme", null));
    }

    @Test
    void refusesATokenSignedWithAnotherSecret() {
        String forged = mint("another-secret-that-is-long-enough-for-hs256!!", "plugin-manager", "plugin-api",
                Instant.now().plusSeconds(600));
        assertUnauthorized(http.get("/api/v1/tenants/tenant-acme", forged));
    }

    @Test
    void refusesATokenFromAnotherIssuerOrForAnotherAudience() {
        String secret = new String(jwtKey.getEncoded());
        assertUnauthorized(http.get("/api/v1/tenants/tenant-acme",
                mint(secret, "someone-else", "plugin-api", Instant.now().plusSeconds(600))));
        assertUnauthorized(http.get("/api/v1/tenants/tenant-acme",
                mint(secret, "plugin-manager", "another-api", Instant.now().plusSeconds(600))));
        assertThat(http.get("/api/v1/tenants/tenant-acme",
                mint(secret, "plugin-manager", "plugin-api", Instant.now().plusSeconds(600))).status()).isEqualTo(200);
    }

    @Test
    void refusesAnExpiredToken() {
        assertUnauthorized(http.get("/api/v1/tenants/tenant-acme", mint(new String(jwtKey.getEncoded()),
                "plugin-manager", "plugin-api", Instant.now().minusSeconds(120))));
    }

    @Test
    void refusesGarbageInsteadOfAToken() {
        assertUnauthorized(http.get("/api/v1/tenants/tenant-acme", "not-a-jwt"));
    }

    @Test
    void leavesProbesOpenOnTheManagementPortAndTheRestClosed() {
        Http management = new Http(managementPort);
        assertThat(management.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(management.get("/actuator/health/readiness", null).status()).isEqualTo(200);
        assertThat(management.get("/actuator/metrics", null).status()).isEqualTo(401);
    }

    @Test
    void refusesATenantViewerCreatingTenants() {
        Http.Response response = http.postJson("/api/v1/tenants", token("viewer", "tenant-viewer", "tenant-acme"), """
                {"tenantId": "tenant-x", "name": "X", "namespace": "x", "quotas": {"maxPlugins": 1, "maxCpu": 1, "maxMemoryGB": 1}}""");
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void letsATenantAdminReadItsOwnTenantAndDeployment() {
        String acmeAdmin = token("alice", "tenant-admin", "tenant-acme");
        assertThat(http.get("/api/v1/tenants/tenant-acme", acmeAdmin).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/plugin-deployments/" + deploymentOfAcme, acmeAdmin).status()).isEqualTo(200);
    }

    @Test
    void listsOnlyItsOwnTenantToATenantRole() {
        createTenant("tenant-listed-other", "listed-other");
        Http.Response own = http.get("/api/v1/tenants", token("vera", "tenant-viewer", "tenant-acme"));
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("items").findValuesAsText("tenantId")).containsExactly("tenant-acme");
        assertThat(own.json().get("total").asLong()).isEqualTo(1);
        assertThat(http.get("/api/v1/tenants", admin).json().get("items").findValuesAsText("tenantId"))
                .contains("tenant-acme", "tenant-listed-other");
        assertThat(http.get("/api/v1/tenants", token("pat", "plugin-publisher", null)).status()).isEqualTo(403);
    }

    @Test
    void answersACreatedTenantAsItIsReadLater() {
        Http.Response created = http.postJson("/api/v1/tenants", admin, tenantJson("tenant-timed", "timed"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(http.get("/api/v1/tenants/tenant-timed", admin).json().get("createdAt").asText())
                .isEqualTo(created.json().get("createdAt").asText());
    }

    @Test
    void recordsAndRefusesReachingIntoAnotherTenant(CapturedOutput output) {
        String otherAdmin = token("mallory", "tenant-admin", "tenant-other");
        long events = storedEvents();

        Http.Response tenant = http.get("/api/v1/tenants/tenant-acme", otherAdmin);
        Http.Response deployment = http.get("/api/v1/plugin-deployments/" + deploymentOfAcme, otherAdmin);
        Http.Response rollback = http.postJson("/api/v1/plugin-deployments/" + deploymentOfAcme + "/rollback", otherAdmin,
                "{\"reason\": \"mine now\"}");

        for (Http.Response response : List.of(tenant, deployment, rollback)) {
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().get("detail").asText()).contains("tenant-other", "tenant-acme");
        }
        assertThat(output.getOut()).contains("SECURITY_VIOLATION principal=mallory");
        assertThat(storedEvents()).isEqualTo(events + 3); // the three violations, nothing else
        awaitProjections();
        Http.Response violations = http.get("/api/v1/audit/security-violations", admin);
        assertThat(violations.json().get("items").findValuesAsText("principal")).contains("mallory");
        assertThat(http.get("/api/v1/plugin-deployments/" + deploymentOfAcme, admin).json().get("status").asText())
                .isEqualTo("InProgress");
    }

    private void assertUnauthorized(Http.Response response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }

    private static String mint(String secret, String issuer, String audience, Instant expiresAt) {
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableSecret<>(new SecretKeySpec(secret.getBytes(), "HmacSHA256")));
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer(issuer).audience(List.of(audience)).subject("forger")
                .issuedAt(expiresAt.minusSeconds(3600)).expiresAt(expiresAt).claim("roles", List.of("platform-admin")).build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims)).getTokenValue();
    }
}
