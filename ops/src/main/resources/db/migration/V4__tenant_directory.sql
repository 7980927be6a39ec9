-- Write-side set rules no single aggregate can see: unique tenant ids and namespaces, and the tenant count.
-- Rows are written in the same transaction as the TenantCreated event.
CREATE TABLE tenant_directory (
    tenant_id  VARCHAR(63) PRIMARY KEY,
    namespace  VARCHAR(63) NOT NULL UNIQUE
);
