package io.hotswap.ops.database;

import com.zaxxer.hikari.HikariDataSource;
import io.hotswap.ops.config.HotSwapProperties;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.io.IOException;

/**
 * Which PostgreSQL the server uses, in order: {@code spring.datasource.url}, then {@code DB_CONNECTION_STRING}
 * (JDBC or .NET form), else the embedded server under the data directory.
 */
@Configuration
public class DatabaseConfig {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DataSourceProperties jdbc, Environment environment, HotSwapProperties properties)
            throws IOException {
        String connectionString = environment.getProperty("DB_CONNECTION_STRING");
        int poolSize = environment.getProperty("Database.PoolSize", Integer.class, 20);
        HikariDataSource pool;
        if (jdbc.getUrl() != null) {
            pool = pool(jdbc.getUrl(), jdbc.getUsername(), jdbc.getPassword());
        } else if (connectionString != null && !connectionString.isBlank()) {
            ConnectionStrings.JdbcTarget target = ConnectionStrings.parse(connectionString);
            pool = pool(target.url(), target.username(), target.password());
        } else {
            pool = EmbeddedPostgresDataSource.start(properties.data().directory(), properties.data().embeddedPostgresPort());
        }
        pool.setMaximumPoolSize(poolSize);
        pool.setMinimumIdle(Math.min(2, poolSize)); // idle servers hold few connections
        // a request waits at most this long for a connection, then answers 503 (Hikari's default would hold it 30 s)
        pool.setConnectionTimeout(5_000);
        return pool;
    }

    private static HikariDataSource pool(String url, String username, String password) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(username);
        pool.setPassword(password);
        pool.setPoolName("postgres");
        return pool;
    }

    /** For the {@code migrate} command, which runs without the rest of the server. */
    public static DataSource standalone(String jdbcUrl, String connectionString, HotSwapProperties.Data data)
            throws IOException {
        if (jdbcUrl != null) return pool(jdbcUrl, null, null);
        if (connectionString != null && !connectionString.isBlank()) {
            ConnectionStrings.JdbcTarget target = ConnectionStrings.parse(connectionString);
            return pool(target.url(), target.username(), target.password());
        }
        return EmbeddedPostgresDataSource.start(data.directory(), data.embeddedPostgresPort());
    }
}
