package io.hotswap.rest.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.Map;

/**
 * Puts the tenant and deployment a request is about, from its path, into the log context, so every line the request
 * logs names them (the correlation id is put there by {@link CorrelationIdFilter}).
 */
@Configuration
public class LogContext implements WebMvcConfigurer, AsyncHandlerInterceptor {

    /** Log context keys besides the correlation id; fields of each line when logs are JSON ({@code Logging.Format}). */
    public static final String TENANT_ID = "tenantId";
    public static final String DEPLOYMENT_ID = "deploymentId";

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
            put(TENANT_ID, variables.get("tenantId"));
            put(DEPLOYMENT_ID, variables.get("deploymentId"));
        }
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        clear();
    }

    /** A streaming request (server-sent events) goes on in other threads: this one is done with it. */
    @Override
    public void afterConcurrentHandlingStarted(HttpServletRequest request, HttpServletResponse response, Object handler) {
        clear();
    }

    private static void put(String key, Object value) {
        if (value != null) MDC.put(key, value.toString());
    }

    private static void clear() {
        MDC.remove(TENANT_ID);
        MDC.remove(DEPLOYMENT_ID);
    }
}
