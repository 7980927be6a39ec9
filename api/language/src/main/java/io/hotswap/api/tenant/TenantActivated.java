package io.hotswap.api.tenant;

import org.axonframework.serialization.Revision;

/** Every object of a provisioned tenant exists: it takes deployments from now on. */
@Revision("1")
public record TenantActivated(String tenantId) {
}
