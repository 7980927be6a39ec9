package io.hotswap.ops.config;

import io.hotswap.ops.support.TestDatabase;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.PostgresTokenTableFactory;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner a server writes into its token claims, on the machine's PostgreSQL. Axon's default is the JVM's name, which
 * two servers in one JVM share (AxonConfig.tokenStore explains the harm); the day Axon's default tells them apart,
 * the first test fails and the override can go.
 */
class TokenOwnerTest {

    private final TokenSchema schema = new AxonConfig().tokenSchema();
    private ConnectionProvider connections;

    @BeforeEach
    void createTokenTable() throws SQLException {
        String url = TestDatabase.create();
        connections = () -> DriverManager.getConnection(url);
        JdbcTokenStore.builder().connectionProvider(connections).schema(schema)
                .serializer(JacksonSerializer.defaultSerializer()).build()
                .createSchema(PostgresTokenTableFactory.INSTANCE);
    }

    @Test
    void axonsDefaultOwnerIsTheSameForEveryServerInOneJvm() throws SQLException {
        TokenStore first = JdbcTokenStore.builder().connectionProvider(connections).schema(schema)
                .serializer(JacksonSerializer.defaultSerializer()).build();
        TokenStore second = JdbcTokenStore.builder().connectionProvider(connections).schema(schema)
                .serializer(JacksonSerializer.defaultSerializer()).build();

        assertThat(claimOwner(first, "first")).isEqualTo(claimOwner(second, "second"));
    }

    @Test
    void ourOwnerNamesTheApplicationToo() throws SQLException {
        TokenStore node1 = new AxonConfig().tokenStore(connections, JacksonSerializer.defaultSerializer(), schema,
                new TokenStoreProperties(), "node-1");
        TokenStore node2 = new AxonConfig().tokenStore(connections, JacksonSerializer.defaultSerializer(), schema,
                new TokenStoreProperties(), "node-2");

        assertThat(claimOwner(node1, "first")).endsWith("/node-1");
        assertThat(claimOwner(node2, "second")).endsWith("/node-2");
    }

    private String claimOwner(TokenStore store, String processor) throws SQLException {
        store.initializeTokenSegments(processor, 1);
        store.fetchToken(processor, 0);
        try (Connection connection = connections.getConnection();
             ResultSet row = connection.createStatement().executeQuery(
                     "SELECT owner FROM token_entry WHERE processor_name = '" + processor + "'")) {
            row.next();
            return row.getString(1);
        }
    }
}
