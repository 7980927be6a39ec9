package io.hotswap.ops.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hotswap.api.audit.ActorMetaData;
import io.hotswap.rest.security.ActorMetaDataInterceptor;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSqlSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;

/**
 * Axon on PostgreSQL without Axon Server: snake_case tables that Flyway creates (V1), Jackson for everything it
 * serializes (with its own ObjectMapper, so web settings can never change stored events), and pooled streaming
 * processors that retry a failing handler instead of skipping its event.
 */
@Configuration
public class AxonConfig {

    @Bean
    EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry").snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index").eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier").sequenceNumberColumn("sequence_number")
                .typeColumn("type").timestampColumn("time_stamp").payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision").payloadColumn("payload").metaDataColumn("meta_data")
                .build();
    }

    @Bean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry").setProcessorNameColumn("processor_name").setSegmentColumn("segment")
                .setTokenColumn("token").setTokenTypeColumn("token_type").setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }

    /**
     * Axon's own token store, except for the owner it writes into its claims: Axon's default ({@code pid@host}) is the
     * same for two servers in one JVM (the two-node tests), which then each took every segment as already their own
     * and handled the same events side by side. The application name tells them apart. Checked against Axon 4.13.0:
     * TokenOwnerTest fails the day Axon's default tells two servers in one JVM apart.
     */
    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
                          TokenStoreProperties tokenStoreProperties,
                          @Value("${spring.application.name:hotswap}") String applicationName) {
        return JdbcTokenStore.builder().connectionProvider(connectionProvider).serializer(serializer)
                .schema(tokenSchema).claimTimeout(tokenStoreProperties.getClaimTimeout())
                .nodeId(ManagementFactory.getRuntimeMXBean().getName() + "/" + applicationName)
                .build();
    }

    @Bean
    SagaSqlSchema sagaSqlSchema() {
        return new PostgresSagaSqlSchema(SagaSchema.builder()
                .sagaEntryTable("saga_entry").associationValueEntryTable("association_value_entry")
                .sagaIdColumn("saga_id").sagaTypeColumn("saga_type").revisionColumn("revision")
                .serializedSagaColumn("serialized_saga").associationKeyColumn("association_key")
                .associationValueColumn("association_value").build());
    }

    @Bean
    @Primary
    Serializer serializer() {
        return jackson();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer() {
        return jackson();
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer() {
        return jackson();
    }

    static Serializer jackson() {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // older readers ignore newer fields
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(mapper).build();
        mapper.registerModule(MetaDataReader.module()); // after Axon's module, which the builder registered
        return serializer;
    }

    /**
     * Two appends at the same aggregate sequence number are a concurrent change (Axon's ConcurrencyException, a 409),
     * not a storage failure. PostgreSQL reports it as SQLState 23505, which Axon's default resolver does not know
     * (checked against Axon 4.13.0).
     */
    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return exception -> {
            for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) return true;
            }
            return false;
        };
    }

    /** Copies the acting principal and correlation id from each command onto the events it causes. */
    @Bean
    CorrelationDataProvider actorCorrelation() {
        return new SimpleCorrelationDataProvider(ActorMetaData.PRINCIPAL, ActorMetaData.CORRELATION_ID);
    }

    /** Axon registers dispatch interceptor beans on the command gateway. */
    @Bean
    ActorMetaDataInterceptor actorMetaData() {
        return new ActorMetaDataInterceptor();
    }

    /**
     * The event store as every pooled processor's source, so each sees an event within milliseconds of its commit, not
     * after up to 500 ms (see {@link NotifyingEventSource}): the default in {@link #eventProcessing}, and
     * {@code axon.eventhandling.processors.<name>.source: notifyingEventSource} for processors declared in the yml.
     */
    @Bean
    NotifyingEventSource notifyingEventSource(EventStore eventStore) {
        return new NotifyingEventSource(eventStore);
    }

    /**
     * Events a read model handles in one transaction when it is behind (a replay): their writes go to the database
     * together ({@link io.hotswap.query.ReadModelWrites}). The audit trail was rebuilt at 8,800 events/s with 500 and
     * 4,000 with 100 (ReplayBenchmark, one run each); a processor that keeps up handles what came since its last batch.
     */
    static final int READ_MODEL_BATCH = 500;

    /**
     * A server restarted after a crash takes over its predecessor's segments soon, so the sagas waiting on them carry
     * on: claims expire after 5 s ({@code axon.eventhandling.tokenstore.claim-timeout}; a live node extends its own
     * every 2 s, also while a long batch runs, such as the event stream waiting for an unreachable Kafka), and
     * unclaimed segments are looked for every second (Axon's defaults: 10 s, 5 s and 5 s). Batches are of 100 events,
     * {@link #READ_MODEL_BATCH} for the read models.
     */
    @Bean
    ConfigurerModule eventProcessing(ObjectProvider<NotifyingEventSource> notifyingEventSource) {
        return configurer -> configurer.eventProcessing(processing -> {
            processing.configureDefaultStreamableMessageSource(config -> notifyingEventSource.getObject())
                    .usingPooledStreamingEventProcessors((config, builder) -> builder.initialSegmentCount(4).batchSize(100)
                            .tokenClaimInterval(1000).claimExtensionThreshold(2000).enableCoordinatorClaimExtension())
                    .registerDefaultListenerInvocationErrorHandler(config -> PropagatingErrorHandler.instance())
                    .registerDefaultHandlerInterceptor((config, name) -> new EventLogContext());
            DeadLetterConfig.READ_MODELS.forEach(readModel -> processing.registerPooledStreamingEventProcessorConfiguration(
                    readModel, (config, builder) -> builder.batchSize(READ_MODEL_BATCH)));
        });
    }
}
