package io.hotswap.query;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The read models' writes. Inside {@link #holding} (a projection's processor batch, many events in one transaction)
 * they are held and sent before the transaction commits, each run of one statement as one JDBC batch: one round trip
 * for a batch's audit-trail inserts instead of one per event. They keep their order, so a statement that reads what an
 * earlier one wrote (a deployment's history row takes the status its view row has by then) sees the same as when each
 * was sent at once; a read from Java must {@link #flush} first. Everything else writes at once.
 * <p>
 * The read models are plain components, not {@code @Repository}s: Spring's JDBC classes translate SQL errors already,
 * and the translating proxy around them took a reflective call and an interceptor chain on every write and read.
 */
@Component
public final class ReadModelWrites {

    private final JdbcTemplate jdbc;
    private final ThreadLocal<Boolean> holding = ThreadLocal.withInitial(() -> false);

    public ReadModelWrites(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Runs {@code work} with its writes held until {@link #flush} or the commit of the current transaction. Without
     * one, nothing would send them: they are written at once.
     */
    public <T> T holding(Callable<T> work) throws Exception {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) return work.call();
        boolean before = holding.get();
        holding.set(true);
        try {
            return work.call();
        } finally {
            holding.set(before);
        }
    }

    /** One write: held inside {@link #holding}, else sent at once after what is held. */
    public void write(String sql, Object... params) {
        if (holding.get()) {
            held().add(sql, params);
            return;
        }
        flush();
        jdbc.update(sql, params);
    }

    /** Sends what the current transaction holds, in order. */
    public void flush() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) return;
        if (TransactionSynchronizationManager.getResource(this) instanceof Held held) held.send(jdbc);
    }

    private Held held() {
        if (TransactionSynchronizationManager.getResource(this) instanceof Held held) return held;
        Held held = new Held();
        TransactionSynchronizationManager.bindResource(this, held);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                held.send(jdbc);
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResource(ReadModelWrites.this);
            }
        });
        return held;
    }

    /** Held writes, as runs of one statement. */
    private static final class Held {

        private List<Run> runs = new ArrayList<>();

        void add(String sql, Object[] params) {
            Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last == null || !last.sql.equals(sql)) {
                last = new Run(sql, new ArrayList<>());
                runs.add(last);
            }
            last.rows.add(params);
        }

        void send(JdbcTemplate jdbc) {
            List<Run> sending = runs;
            runs = new ArrayList<>(); // a failure dooms the transaction: nothing is sent twice
            for (Run run : sending) {
                if (run.rows.size() == 1) jdbc.update(run.sql, run.rows.get(0));
                else jdbc.batchUpdate(run.sql, run.rows);
            }
        }
    }

    private record Run(String sql, List<Object[]> rows) {
    }
}
