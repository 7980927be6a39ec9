package io.hotswap.api.audit;

/**
 * The metadata keys that say who caused a message. The REST layer stamps them on every command it sends; Axon's
 * correlation data provider copies them onto the events the command causes, so the audit trail can name the actor.
 */
public final class ActorMetaData {

    public static final String PRINCIPAL = "principal";
    public static final String CORRELATION_ID = "correlationId";
    /** The principal of work the system does on its own (sagas, policies). */
    public static final String SYSTEM = "system";

    private ActorMetaData() {
    }
}
