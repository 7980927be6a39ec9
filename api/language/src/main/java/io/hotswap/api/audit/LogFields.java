package io.hotswap.api.audit;

/**
 * The log context (MDC) keys that name what a log line is about, besides {@link ActorMetaData#CORRELATION_ID}. They
 * become fields of each line when logs are JSON ({@code Logging.Format=json}).
 */
public final class LogFields {

    public static final String TENANT_ID = "tenantId";
    public static final String DEPLOYMENT_ID = "deploymentId";

    private LogFields() {
    }
}
