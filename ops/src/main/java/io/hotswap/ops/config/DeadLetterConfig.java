package io.hotswap.ops.config;

import io.hotswap.query.ReadModelWrites;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.lock.LockAcquisitionFailedException;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * No silent loss: a processing group below that cannot handle an event parks it in Axon's sequenced dead-letter queue
 * on PostgreSQL ({@code dead_letter_entry}, V12) instead of skipping it or stopping. The event's later siblings (same
 * aggregate) wait behind it; other aggregates go on. A retry ({@code POST /projections/{name}/dead-letters/retry})
 * hands them to the handlers again. A replay clears the group's dead letters along with its tables: it handles every
 * event again anyway.
 * <p>
 * Without it a failing event aborted its batch again and again: its segment (a quarter of all aggregates) stood still,
 * and while it waited to retry, Axon left it out of the processor's status, so {@code GET /projections} showed the
 * projection caught up. A tenant name with NUL, which PostgreSQL cannot store, looked skipped that way.
 * <p>
 * A failure that goes away by itself (database unreachable, deadlock, the lock service away) is not parked: the batch
 * fails and the processor tries it again, as before; parking would need a person to retry what time would have fixed.
 * <p>
 * The policies dead-letter too. {@code deployment-queue} runs on one segment for the whole cluster: retrying a failed
 * event forever would stop every deployment from starting, while parking holds back only that deployment (and, for
 * its end, its slot) until the retry; activation is idempotent, so a retry after a partly done admission is safe.
 * {@code deployment-metrics} counts a parked deployment when it is retried.
 * <p>
 * Not dead-lettered:
 * <ul>
 * <li>{@code event-stream}: the Kafka publisher must deliver every event in store order, across aggregates; parking
 * one would publish later events before it. Its failures are the broker's and pass, and they show when the batch's
 * acknowledgements are awaited, after the handlers ran, where nothing could be parked. It keeps retrying in order.</li>
 * <li>{@code tenant-quota-policy}: it runs subscribed, in the transaction of the command that ended the deployment,
 * so that the deployment never ends while its tenant's quota stays taken. Its failure fails that command, which the
 * caller sees and retries; parking would commit the end and leave the quota taken.</li>
 * <li>sagas: Axon's dead-letter queue does not take saga managers; a saga's failure rolls back and is retried.</li>
 * </ul>
 */
@Configuration
public class DeadLetterConfig {

    /** The read models: their processing groups, and their processors of the same names. */
    public static final List<String> READ_MODELS = List.of("audit-trail", "deployment-view", "plugin-catalogue",
            "tenant-view");
    /** The processing groups that dead-letter: the four read models and two policies. */
    public static final List<String> GROUPS = Stream.concat(READ_MODELS.stream(),
            Stream.of("deployment-queue", "deployment-metrics")).toList();
    /** How many retries of a parked event failed, kept in its diagnostics. */
    public static final String RETRIES = "retries";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterConfig.class);

    @Bean
    DeadLetterSchema deadLetterSchema() {
        return DeadLetterSchema.builder()
                .deadLetterTable("dead_letter_entry").deadLetterIdentifierColumn("dead_letter_identifier")
                .processingGroupColumn("processing_group").sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index").messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier").timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type").payloadRevisionColumn("payload_revision").payloadColumn("payload")
                .metaDataColumn("meta_data").aggregateTypeColumn("aggregate_type")
                .aggregateIdentifierColumn("aggregate_identifier").sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type").tokenColumn("token").enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched").processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type").causeMessageColumn("cause_message").diagnosticsColumn("diagnostics")
                .build();
    }

    @Bean
    ConfigurerModule deadLettering(DeadLetterSchema schema, ObjectProvider<ConnectionProvider> connections,
                                   ObjectProvider<TransactionManager> transactions, ObjectProvider<Serializer> serializer,
                                   @Qualifier("eventSerializer") ObjectProvider<Serializer> eventSerializer) {
        return configurer -> configurer.eventProcessing(processing -> GROUPS.forEach(group -> processing
                .registerDeadLetterQueue(group, config -> JdbcSequencedDeadLetterQueue.builder()
                        .processingGroup(group).schema(schema).connectionProvider(connections.getObject())
                        .transactionManager(transactions.getObject()).genericSerializer(serializer.getObject())
                        .eventSerializer(eventSerializer.getObject())
                        .build())
                .registerDeadLetterPolicy(group, config -> parkUnlessTransient(group))
                // the cache spares a query per event for whether its aggregate has parked events (while none has)
                .registerDeadLetteringEventHandlerInvokerConfiguration(group, (config, invoker) -> invoker
                        .enableSequenceIdentifierCache().allowReset(true))));
    }

    @Bean
    HandlerEnhancerDefinition handlerSavepoints(ObjectProvider<PlatformTransactionManager> transactions,
                                               ObjectProvider<ReadModelWrites> writes) {
        return new HandlerSavepoints(Set.copyOf(GROUPS), transactions, writes);
    }

    /**
     * Parks the event with what went wrong and how many retries failed. A passing failure, or one that needs its batch
     * handled again ({@link HandlerSavepoints}), is thrown on instead (checked against Axon 4.13.0): while processing,
     * the invoker asks the policy in its catch block, so the batch fails and is tried again; while retrying, Axon logs
     * it and leaves the letter parked as it was.
     */
    private static EnqueuePolicy<EventMessage<?>> parkUnlessTransient(String group) {
        return (letter, failure) -> {
            if (failure instanceof HandlerSavepoints.HandleAgainInSavepoint || isTransient(failure)) {
                if (failure instanceof RuntimeException runtime) throw runtime;
                if (failure instanceof Error error) throw error;
                throw new IllegalStateException(failure);
            }
            // a new letter has no count yet; one read back from the queue for a retry has
            Object before = letter.diagnostics().get(RETRIES);
            int retries = before instanceof Number number ? number.intValue() + 1 : 0;
            EventMessage<?> event = letter.message();
            log.warn("{} could not handle {} {}{} and parked it (failed retries: {}): {}", group,
                    event.getPayloadType().getSimpleName(), event.getIdentifier(),
                    event instanceof DomainEventMessage<?> domain ? " of " + domain.getAggregateIdentifier() : "",
                    retries, failure.toString());
            return Decisions.enqueue(storable(failure), parked -> parked.diagnostics().and(RETRIES, retries));
        };
    }

    /** Axon's cause of at most 1023 characters, without NUL, which PostgreSQL cannot store in text. */
    private static ThrowableCause storable(Throwable failure) {
        ThrowableCause cause = ThrowableCause.truncated(failure);
        return cause.message() == null ? cause : new ThrowableCause(cause.type(), cause.message().replace('\u0000', '\uFFFD'));
    }

    /**
     * A failure that passes by itself: the database unreachable, out of connections or restarting (SQLState classes
     * 08, 53, 57), a deadlock or serialization failure (40), or a lock the handler waited for in vain.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException || cause instanceof LockAcquisitionFailedException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && Stream.of("08", "40", "53", "57").anyMatch(sql.getSQLState()::startsWith)) {
                return true;
            }
        }
        return false;
    }
}
