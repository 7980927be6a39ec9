package io.hotswap.rest.security;

/** The values of a token's {@code roles} claim. */
public final class Role {

    public static final String PLATFORM_ADMIN = "platform-admin";
    public static final String PLUGIN_PUBLISHER = "plugin-publisher";
    public static final String TENANT_ADMIN = "tenant-admin";
    public static final String TENANT_VIEWER = "tenant-viewer";

    private Role() {
    }
}
