package io.hotswap.api.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StoredEventTest {

    @Test
    void anEventTypeIsItsClassesSimpleName() {
        assertThat(StoredEvent.simpleName("io.hotswap.api.tenant.TenantCreated")).isEqualTo("TenantCreated");
        assertThat(StoredEvent.simpleName("io.hotswap.api.Outer$Inner")).isEqualTo("Inner");
        assertThat(StoredEvent.simpleName("Plain")).isEqualTo("Plain");
    }
}
