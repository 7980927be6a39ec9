package io.hotswap.ops.database;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code DB_CONNECTION_STRING} in either form the guide's users have: a JDBC URL
 * ({@code jdbc:postgresql://host:5432/db?user=...}) or the .NET form
 * ({@code Host=postgresql;Port=5432;Database=pluginmanager;Username=pluginmgr;Password=...}).
 */
public final class ConnectionStrings {

    /** A JDBC URL with the credentials kept apart (null when the URL carries them). */
    public record JdbcTarget(String url, String username, String password) {
    }

    private ConnectionStrings() {
    }

    public static JdbcTarget parse(String connectionString) {
        String text = connectionString.strip();
        if (text.startsWith("jdbc:")) return new JdbcTarget(text, null, null);
        Map<String, String> parts = new LinkedHashMap<>();
        for (String pair : text.split(";")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq < 1) throw new IllegalArgumentException("DB_CONNECTION_STRING: '" + pair + "' is not Key=Value");
            parts.put(pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).replace(" ", ""), pair.substring(eq + 1).strip());
        }
        String host = first(parts, "host", "server");
        String database = first(parts, "database");
        if (host == null || database == null) {
            throw new IllegalArgumentException("DB_CONNECTION_STRING needs at least Host and Database");
        }
        String port = parts.getOrDefault("port", "5432");
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/').append(database);
        String sslMode = first(parts, "sslmode");
        if (sslMode != null) url.append("?sslmode=").append(sslMode.toLowerCase(Locale.ROOT));
        return new JdbcTarget(url.toString(), first(parts, "username", "userid", "user"), first(parts, "password"));
    }

    private static String first(Map<String, String> parts, String... keys) {
        for (String key : keys) {
            if (parts.containsKey(key)) return parts.get(key);
        }
        return null;
    }
}
