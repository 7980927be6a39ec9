package io.hotswap.ops.redis;

import org.junit.jupiter.api.Test;
import org.redisson.config.Config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisConnectionStringsTest {

    @Test
    void readsTheGuidesForm() {
        Config config = RedisConnectionStrings.parse("redis:6379,password=s3cret,defaultDatabase=2,abortConnect=false");
        assertThat(config.useSingleServer().getAddress()).isEqualTo("redis://redis:6379");
        assertThat(config.useSingleServer().getPassword()).isEqualTo("s3cret");
        assertThat(config.useSingleServer().getDatabase()).isEqualTo(2);
    }

    @Test
    void readsAUrlAndDefaultsThePort() {
        Config config = RedisConnectionStrings.parse("rediss://:pw@cache.internal/1");
        assertThat(config.useSingleServer().getAddress()).isEqualTo("rediss://cache.internal:6379");
        assertThat(config.useSingleServer().getPassword()).isEqualTo("pw");
        assertThat(config.useSingleServer().getDatabase()).isEqualTo(1);
    }

    @Test
    void usesTlsWhenTheGuidesFormAsksForIt() {
        assertThat(RedisConnectionStrings.parse("redis.example:6380,ssl=true").useSingleServer().getAddress())
                .isEqualTo("rediss://redis.example:6380");
    }

    @Test
    void refusesAStringWithoutAHost() {
        assertThatThrownBy(() -> RedisConnectionStrings.parse(",password=x")).isInstanceOf(IllegalArgumentException.class);
    }
}
