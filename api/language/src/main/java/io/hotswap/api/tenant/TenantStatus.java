package io.hotswap.api.tenant;

public enum TenantStatus { Provisioning, Active, Suspended, Decommissioned }
