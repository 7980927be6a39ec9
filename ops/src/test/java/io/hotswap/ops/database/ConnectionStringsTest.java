package io.hotswap.ops.database;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionStringsTest {

    @Test
    void readsTheGuidesDotNetForm() {
        var target = ConnectionStrings.parse("Host=postgresql;Database=pluginmanager;Username=pluginmgr;Password=s3cret");
        assertThat(target.url()).isEqualTo("jdbc:postgresql://postgresql:5432/pluginmanager");
        assertThat(target.username()).isEqualTo("pluginmgr");
        assertThat(target.password()).isEqualTo("s3cret");
    }

    @Test
    void keepsPortAndSslMode() {
        assertThat(ConnectionStrings.parse("Host=db;Port=6543;Database=pm;SSL Mode=Require").url())
                .isEqualTo("jdbc:postgresql://db:6543/pm?sslmode=require");
    }

    @Test
    void passesAJdbcUrlThrough() {
        assertThat(ConnectionStrings.parse("jdbc:postgresql://h/db?user=u").url()).isEqualTo("jdbc:postgresql://h/db?user=u");
    }

    @Test
    void refusesAStringWithoutHostOrDatabase() {
        assertThatThrownBy(() -> ConnectionStrings.parse("Username=x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectionStrings.parse("garbage")).isInstanceOf(IllegalArgumentException.class);
    }
}
