package io.hotswap.command.tenant;

/**
 * The set-wide rules no single Tenant aggregate can see: ids and namespaces are unique, and there are at most
 * {@code MAX_TENANTS} tenants. A claim joins the creating command's transaction, so it vanishes with it.
 */
public interface TenantDirectory {

    /** @throws io.hotswap.api.error.ConflictException when the id or namespace is taken or the limit is reached */
    void claim(String tenantId, String namespace);
}
