package io.hotswap.rest.security;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MetaData;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static io.hotswap.api.audit.ActorMetaData.CORRELATION_ID;
import static io.hotswap.api.audit.ActorMetaData.PRINCIPAL;
import static io.hotswap.api.audit.ActorMetaData.SYSTEM;

/**
 * Stamps every command dispatched on behalf of an HTTP request with the acting principal and the request's
 * correlation id; Axon's correlation data provider copies both onto the events the command causes.
 */
public class ActorMetaDataInterceptor implements MessageDispatchInterceptor<CommandMessage<?>> {

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        return (index, command) -> {
            Map<String, Object> added = new HashMap<>();
            if (!command.getMetaData().containsKey(PRINCIPAL)) added.put(PRINCIPAL, currentPrincipal());
            String correlationId = MDC.get(CORRELATION_ID);
            if (correlationId != null && !command.getMetaData().containsKey(CORRELATION_ID)) {
                added.put(CORRELATION_ID, correlationId);
            }
            return added.isEmpty() ? command : command.andMetaData(MetaData.from(added));
        };
    }

    private static String currentPrincipal() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? SYSTEM : authentication.getName();
    }
}
