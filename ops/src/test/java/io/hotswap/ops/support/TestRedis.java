package io.hotswap.ops.support;

import io.hotswap.ops.redis.RedisConnectionStrings;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

/**
 * The machine's real Redis ({@code HOTSWAP_TEST_REDIS} in the guide's {@code host:port} form, default
 * {@code 127.0.0.1:6379}). A test that cannot reach it fails; it never skips.
 */
public final class TestRedis {

    public static final String ADDRESS = System.getenv().getOrDefault("HOTSWAP_TEST_REDIS", "127.0.0.1:6379");

    private TestRedis() {
    }

    /** A client configured as the server configures its own; shut it down when done. */
    public static RedissonClient client() {
        return client(ADDRESS);
    }

    public static RedissonClient client(String address) {
        return Redisson.create(RedisConnectionStrings.parse(address));
    }
}
