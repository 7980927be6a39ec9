package io.hotswap.ops.database;

import com.zaxxer.hikari.HikariDataSource;
import io.hotswap.ops.config.HotSwapProperties;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;

/**
 * Which PostgreSQL the server uses, in order: {@code spring.datasource.url}, then {@code ConnectionStrings.PostgreSQL}
 * ({@code DB_CONNECTION_STRING}, JDBC or .NET form), else the embedded server under the data directory.
 */
@Configuration
public class DatabaseConfig {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DataSourceProperties jdbc, HotSwapProperties properties) throws IOException {
        HikariDataSource pool = open(jdbc, properties);
        int poolSize = properties.database().poolSize();
        pool.setMaximumPoolSize(poolSize);
        pool.setMinimumIdle(Math.min(2, poolSize)); // idle servers hold few connections
        // a request waits at most this long for a connection, then answers 503 (Hikari's default would hold it 30 s)
        pool.setConnectionTimeout(5_000);
        return pool;
    }

    /** The database the settings name; the server and the {@code migrate} command both open it here. */
    public static HikariDataSource open(DataSourceProperties jdbc, HotSwapProperties properties) throws IOException {
        String connectionString = properties.connectionStrings().postgresql();
        if (jdbc.getUrl() != null) {
            return pool(jdbc.getUrl(), jdbc.getUsername(), jdbc.getPassword());
        }
        if (connectionString != null && !connectionString.isBlank()) {
            ConnectionStrings.JdbcTarget target = ConnectionStrings.parse(connectionString);
            return pool(target.url(), target.username(), target.password());
        }
        return EmbeddedPostgresDataSource.start(properties.data().directory(), properties.data().embeddedPostgresPort());
    }

    private static HikariDataSource pool(String url, String username, String password) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(username);
        pool.setPassword(password);
        pool.setPoolName("postgres");
        return pool;
    }
}
