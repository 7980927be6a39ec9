package io.hotswap.ops.config;

import io.hotswap.query.ReadModelWrites;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.util.function.SingletonSupplier;

import java.lang.reflect.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Lets a dead-lettering processing group park a failed event in the transaction of its batch. PostgreSQL refuses every
 * further statement of a transaction in which one failed, so the failed handler's writes must be undone to a savepoint
 * first; that also keeps a parked event from being half applied. A savepoint per event costs two round trips: the audit
 * trail replayed 30 to 65 % fewer events a second with them (measured here, on a loaded machine). So events go without
 * one until they fail; then the batch is rolled back and handled again ({@link HandleAgainInSavepoint}), that event in
 * a savepoint. A retry of dead letters always uses one. Each of these groups has one handler class, so a handler's
 * savepoint is its event's.
 * <p>
 * Without a savepoint, the read models' writes are also held and sent in JDBC batches when the batch commits
 * ({@link ReadModelWrites}). A held write that fails there cannot be told from its neighbours: every event of the batch
 * is then handled again in a savepoint of its own, writing at once, so that only the one that fails is parked. In a
 * savepoint, writes go at once, after what the batch held so far.
 */
final class HandlerSavepoints implements HandlerEnhancerDefinition {

    private static final TransactionDefinition SAVEPOINT =
            new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_NESTED);

    private final Set<String> processingGroups;
    /** Looked up once: a bean lookup per event cost a replay a few per cent of its CPU. */
    private final Supplier<PlatformTransactionManager> transactions;
    private final Supplier<ReadModelWrites> writes;
    /** Events (group and id) whose handler or batch failed outside a savepoint, until they are handled in one. */
    private final Set<String> failedOutsideSavepoint = ConcurrentHashMap.newKeySet();

    HandlerSavepoints(Set<String> processingGroups, ObjectProvider<PlatformTransactionManager> transactions,
                      ObjectProvider<ReadModelWrites> writes) {
        this.processingGroups = processingGroups;
        this.transactions = SingletonSupplier.of(transactions::getObject);
        this.writes = SingletonSupplier.of(writes::getObject);
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        if (!original.canHandleMessageType(EventMessage.class)) return original;
        ProcessingGroup group = original.unwrap(Member.class)
                .map(member -> member.getDeclaringClass().getAnnotation(ProcessingGroup.class)).orElse(null);
        if (group == null || !processingGroups.contains(group.value())) return original;
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                String event = group.value() + "/" + message.getIdentifier();
                HeldBatch batch = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().root()
                        .getOrComputeResource(HeldBatch.class.getName(), key -> newBatch()) : new HeldBatch();
                if (failedOutsideSavepoint.contains(event) || retryingDeadLetter()) {
                    send(batch);
                    try {
                        return inSavepoint(() -> super.handle(message, target));
                    } finally {
                        failedOutsideSavepoint.remove(event);
                    }
                }
                batch.events.add(event);
                try {
                    return writes.get().holding(() -> super.handle(message, target));
                } catch (Exception e) {
                    failedOutsideSavepoint.add(event);
                    throw new HandleAgainInSavepoint(e);
                }
            }
        };
    }

    /** The events of one unit of work (a processor's batch) whose writes are held; sent before it commits. */
    private static final class HeldBatch {
        final List<String> events = new ArrayList<>();
    }

    private HeldBatch newBatch() {
        HeldBatch batch = new HeldBatch();
        CurrentUnitOfWork.get().root().onPrepareCommit(unitOfWork -> send(batch));
        return batch;
    }

    /** Sends the batch's held writes; if that fails, each of its events is to be handled again in a savepoint. */
    private void send(HeldBatch batch) {
        try {
            writes.get().flush();
        } catch (RuntimeException e) {
            failedOutsideSavepoint.addAll(batch.events);
            throw new HandleAgainInSavepoint(e);
        }
    }

    private Object inSavepoint(Handling handling) throws Exception {
        PlatformTransactionManager manager = transactions.get();
        TransactionStatus savepoint = manager.getTransaction(SAVEPOINT);
        Object result;
        try {
            result = handling.handle();
        } catch (Exception | Error e) {
            manager.rollback(savepoint);
            throw e;
        }
        manager.commit(savepoint); // releases it
        return result;
    }

    /** Axon hands the letter being retried to handlers through this resource (checked against Axon 4.13.0). */
    private static boolean retryingDeadLetter() {
        return CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().getResource(DeadLetter.class.getName()) != null;
    }

    private interface Handling {
        Object handle() throws Exception;
    }

    /**
     * A handler, or the sending of a batch's held writes, failed outside a savepoint, where writes cannot be undone
     * alone: the whole batch is to be rolled back and handled again (the dead-letter policy throws this on rather than
     * park it).
     */
    static final class HandleAgainInSavepoint extends RuntimeException {

        HandleAgainInSavepoint(Exception failure) {
            super("Handling failed; the batch is handled again, each failed event in a savepoint so that it can be "
                    + "parked: " + failure, failure);
        }
    }
}
