package io.hotswap.ops.config;

import io.hotswap.api.deployment.DeploymentStrategy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's settings, under the keys of the deployment guide ({@code Deployment.DefaultStrategy},
 * {@code Storage.BucketName}, {@code Authentication.JwtSecret}, ...). application.yml maps the guide's environment
 * variables ({@code JWT_SECRET}, {@code MAX_TENANTS}, ...) onto them.
 */
@ConfigurationProperties
public record HotSwapProperties(@DefaultValue Data data, @DefaultValue Deployment deployment,
                                @DefaultValue Tenants tenants, @DefaultValue Storage storage,
                                @DefaultValue Authentication authentication, @DefaultValue Runtime runtime,
                                @DefaultValue RateLimiting rateLimiting, @DefaultValue ConnectionStrings connectionStrings,
                                @DefaultValue Kafka kafka, @DefaultValue Database database, @DefaultValue Audit audit) {

    /**
     * The event store's tamper-evident chain ({@link io.hotswap.ops.audit.EventChain}): every
     * {@code ChainCheckpointInterval} the events stored more than {@code ChainSettle} ago are checkpointed, at most
     * {@code ChainCheckpointEvents} to a checkpoint.
     */
    public record Audit(@DefaultValue("1000") int chainCheckpointEvents, @DefaultValue("30s") Duration chainSettle,
                        @DefaultValue("10s") Duration chainCheckpointInterval) {
    }

    /**
     * {@code PostgreSQL}: the guide's {@code DB_CONNECTION_STRING} (JDBC or .NET form), empty for the embedded database;
     * {@code Redis}: the guide's {@code REDIS_CONNECTION_STRING}, empty to run without Redis.
     */
    public record ConnectionStrings(String postgresql, String redis) {
    }

    /** The connection pool in front of PostgreSQL. */
    public record Database(@DefaultValue("20") int poolSize) {
    }

    /** The event stream: every event on {@code Topic} when {@code BootstrapServers} is set (see application.yml). */
    public record Kafka(String bootstrapServers, @DefaultValue("plugin-manager.events") String topic,
                        @DefaultValue("20s") Duration deliveryTimeout) {
    }

    /** Requests per principal and minute; 429 with Retry-After beyond. */
    public record RateLimiting(@DefaultValue("true") boolean enabled,
                               @DefaultValue("100") long defaultRequestsPerMinute) {
    }

    /**
     * Where the embedded default keeps its state: PostgreSQL, binaries, the JWT secret, the admin token.
     * {@code EmbeddedPostgresPort} 0 lets each data directory have its own port (see EmbeddedPostgresDataSource).
     */
    public record Data(@DefaultValue("./data") Path directory, @DefaultValue("0") int embeddedPostgresPort) {
    }

    public record Deployment(@DefaultValue("Canary") DeploymentStrategy defaultStrategy,
                             @DefaultValue("30") int healthCheckInterval,
                             @DefaultValue("2") int failureThreshold,
                             @DefaultValue("600") int progressDeadline,
                             @DefaultValue("10") int maxConcurrentDeployments,
                             @DefaultValue("100") int maxInstances) {
    }

    public record Tenants(@DefaultValue("1000") int maxTenants, @DefaultValue("50") int maxPluginsPerTenant) {
    }

    /**
     * Where binaries live. {@code Provider}: {@code Local} (files under {@code LocalPath}), or {@code MinIO} / {@code S3}
     * at {@code Endpoint}; left empty it is {@code MinIO} when an endpoint is set and {@code Local} otherwise.
     */
    public record Storage(String provider, String endpoint, String accessKey, String secretKey,
                          @DefaultValue("plugins") String bucketName, @DefaultValue("us-east-1") String region,
                          Path localPath, @DefaultValue("512") long maxBinarySizeMB) {

        public boolean isLocal() {
            String chosen = provider == null || provider.isBlank()
                    ? (endpoint == null || endpoint.isBlank() ? "Local" : "MinIO") : provider;
            return chosen.equalsIgnoreCase("Local");
        }

        public long maxBinaryBytes() {
            return maxBinarySizeMB * 1024 * 1024;
        }
    }

    /**
     * Where plugin instances run: the name of a {@code PluginRuntimeProvider} ({@code Local}: OS processes on this
     * machine). Each provider binds its own settings under {@code Runtime} in its own package.
     */
    public record Runtime(@DefaultValue("Local") String provider) {
    }

    /** An empty {@code JwtSecret} makes the server keep a generated one under the data directory. */
    public record Authentication(String jwtSecret, @DefaultValue("plugin-manager") String jwtIssuer,
                                 @DefaultValue("plugin-api") String jwtAudience) {
    }
}
