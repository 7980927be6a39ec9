package io.hotswap.rest.tenant;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.api.tenant.CreateTenantCommand;
import io.hotswap.api.tenant.FindTenantQuery;
import io.hotswap.api.tenant.TenantLimits;
import io.hotswap.api.tenant.TenantStatus;
import io.hotswap.api.tenant.TenantView;
import io.hotswap.rest.security.Role;
import io.hotswap.rest.web.JsonBodies;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class TenantControllerTest {

    /** The read model has not caught up within the wait: the answer has the status the command gave, not a guess. */
    @Test
    void aTenantNotYetProjectedIsAnsweredWithTheStatusItGot() {
        CommandGateway commands = mock(CommandGateway.class);
        when(commands.sendAndWait(any(CreateTenantCommand.class))).thenReturn(TenantStatus.Provisioning);
        QueryGateway queries = mock(QueryGateway.class);
        when(queries.query(any(FindTenantQuery.class), any(ResponseType.class)))
                .thenReturn(CompletableFuture.completedFuture(Optional.empty()));
        TenantController controller = new TenantController(commands, queries, new JsonBodies(new ObjectMapper()),
                null, new TenantLimits(10, 10), null);

        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/tenants");
        request.setContentType("application/json");
        request.setContent("""
                {"tenantId": "tenant-acme-corp", "name": "Acme Corp", "namespace": "tenant-acme",
                 "quotas": {"maxPlugins": 10, "maxCpu": 20, "maxMemoryGB": 40}}""".getBytes());
        Jwt admin = Jwt.withTokenValue("t").header("alg", "none").subject("admin")
                .claim("roles", List.of(Role.PLATFORM_ADMIN)).build();
        ResponseEntity<TenantView> created = controller.create(request, new JwtAuthenticationToken(admin));

        assertThat(created.getStatusCode().value()).isEqualTo(201);
        assertThat(created.getBody().tenantId()).isEqualTo("tenant-acme-corp");
        assertThat(created.getBody().status()).isEqualTo(TenantStatus.Provisioning);
    }
}
