package io.hotswap.command.tenant;

import io.hotswap.api.error.ConflictException;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.Map;
import java.util.Optional;

/** Backed by the {@code tenant_directory} table: primary key on the id, unique namespace. */
public class JdbcTenantDirectory implements TenantDirectory {

    private final JdbcClient jdbc;
    private final int maxTenants;

    public JdbcTenantDirectory(JdbcClient jdbc, int maxTenants) {
        this.jdbc = jdbc;
        this.maxTenants = maxTenants;
    }

    @Override
    public void claim(String tenantId, String namespace) {
        // Serialises tenant creation so the count below cannot be raced past the limit.
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('tenant_directory'))").query().singleValue();
        Optional<Map<String, Object>> clash = jdbc.sql(
                        "SELECT tenant_id, namespace FROM tenant_directory WHERE tenant_id = ? OR namespace = ? LIMIT 1")
                .params(tenantId, namespace).query().listOfRows().stream().findFirst();
        if (clash.isPresent()) {
            if (tenantId.equals(clash.get().get("tenant_id"))) {
                throw new ConflictException("tenant-exists", "Tenant '" + tenantId + "' already exists",
                        Map.of("tenantId", tenantId));
            }
            throw new ConflictException("namespace-taken", "Namespace '" + namespace + "' is already used by tenant '"
                    + clash.get().get("tenant_id") + "'", Map.of("namespace", namespace));
        }
        long count = jdbc.sql("SELECT count(*) FROM tenant_directory").query(Long.class).single();
        if (count >= maxTenants) {
            throw new ConflictException("tenant-limit-reached", "The system holds its maximum of " + maxTenants
                    + " tenants (MAX_TENANTS)", Map.of("maxTenants", maxTenants));
        }
        jdbc.sql("INSERT INTO tenant_directory (tenant_id, namespace) VALUES (?, ?)").params(tenantId, namespace).update();
    }
}
