package io.hotswap.rest.web;

import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /health} on the API port, without a token: what load balancers and the guide's check call. */
@RestController
public class HealthController {

    private final HealthEndpoint health;

    public HealthController(HealthEndpoint health) {
        this.health = health;
    }

    @GetMapping("/health")
    ResponseEntity<HealthComponent> health() {
        HealthComponent result = health.health();
        return ResponseEntity.status(Status.UP.equals(result.getStatus()) ? 200 : 503).body(result);
    }
}
