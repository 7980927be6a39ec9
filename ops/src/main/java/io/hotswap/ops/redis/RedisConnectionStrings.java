package io.hotswap.ops.redis;

import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;
import org.redisson.config.SingleServerConfig;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads {@code REDIS_CONNECTION_STRING} in the guide's form ({@code redis:6379,password=secret,ssl=true,defaultDatabase=2})
 * or as a URL ({@code redis://:secret@redis:6379/2}, {@code rediss://...}). Commands fail within about a second when
 * Redis is away (Redisson's defaults retry for up to 12 s): every caller has an answer for that, a 503 for a lock, the
 * database for a cached read, this node's own count for the rate limit.
 */
public final class RedisConnectionStrings {

    private RedisConnectionStrings() {
    }

    public static Config parse(String connectionString) {
        String text = connectionString.strip();
        Config config = new Config();
        SingleServerConfig server = config.useSingleServer().setTimeout(1000).setConnectTimeout(1000)
                .setRetryAttempts(1).setRetryDelay(new ConstantDelay(Duration.ofMillis(100)));
        if (text.startsWith("redis://") || text.startsWith("rediss://")) {
            URI uri = URI.create(text);
            server.setAddress(uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort()));
            if (uri.getUserInfo() != null) {
                String[] user = uri.getUserInfo().split(":", 2);
                if (user.length == 2) {
                    if (!user[0].isEmpty()) server.setUsername(user[0]);
                    server.setPassword(user[1]);
                } else {
                    server.setPassword(user[0]);
                }
            }
            if (uri.getPath() != null && uri.getPath().length() > 1) server.setDatabase(Integer.parseInt(uri.getPath().substring(1)));
            return config;
        }
        String[] parts = text.split(",");
        boolean ssl = false;
        for (int i = 1; i < parts.length; i++) {
            String[] option = parts[i].split("=", 2);
            String name = option[0].strip().toLowerCase(Locale.ROOT);
            String value = option.length > 1 ? option[1].strip() : "";
            switch (name) {
                case "password" -> server.setPassword(value);
                case "user" -> server.setUsername(value);
                case "ssl" -> ssl = Boolean.parseBoolean(value);
                case "defaultdatabase" -> server.setDatabase(Integer.parseInt(value));
                default -> { } // StackExchange.Redis tuning options (abortConnect, connectTimeout, ...) do not apply
            }
        }
        String hostPort = parts[0].strip();
        if (hostPort.isEmpty()) throw new IllegalArgumentException("REDIS_CONNECTION_STRING names no host");
        server.setAddress((ssl ? "rediss://" : "redis://") + (hostPort.contains(":") ? hostPort : hostPort + ":6379"));
        return config;
    }
}
