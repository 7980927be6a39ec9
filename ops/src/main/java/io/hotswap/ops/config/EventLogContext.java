package io.hotswap.ops.config;

import io.hotswap.api.audit.ActorMetaData;
import io.hotswap.command.deployment.Deployment;
import io.hotswap.command.tenant.Tenant;
import io.hotswap.rest.web.LogContext;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.MDC;

import java.util.Map;

/**
 * What event handlers and sagas log names the correlation id of the request that caused the event, and the deployment
 * or tenant whose event it is, in the log context (fields of each line when logs are JSON).
 */
class EventLogContext implements MessageHandlerInterceptor<EventMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        // a subscribing processor handles the event in the thread of the request that caused it: its context stays
        Map<String, String> before = MDC.getCopyOfContextMap();
        EventMessage<?> event = unitOfWork.getMessage();
        if (event.getMetaData().get(ActorMetaData.CORRELATION_ID) instanceof String correlationId) {
            MDC.put(ActorMetaData.CORRELATION_ID, correlationId);
        }
        if (event instanceof DomainEventMessage<?> domainEvent) {
            String type = domainEvent.getType();
            if (Deployment.class.getSimpleName().equals(type)) {
                MDC.put(LogContext.DEPLOYMENT_ID, domainEvent.getAggregateIdentifier());
            } else if (Tenant.class.getSimpleName().equals(type)) {
                MDC.put(LogContext.TENANT_ID, domainEvent.getAggregateIdentifier());
            }
        }
        try {
            return chain.proceed();
        } finally {
            if (before == null) MDC.clear();
            else MDC.setContextMap(before);
        }
    }
}
