package io.hotswap.rest.web;

import io.hotswap.api.error.Input;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.Map;

/**
 * Query parameters, multipart text fields and path segments of every request are refused, by name, when they carry
 * control characters: no id, filter or name of ours has any, and PostgreSQL cannot even compare text with U+0000 (the
 * query would fail with a 500). JSON bodies are checked where they are read, in {@link JsonBodies}.
 */
@Configuration
public class TextParameters implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Input input = new Input();
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
            variables.forEach((name, value) -> check(input, String.valueOf(name), String.valueOf(value)));
        }
        request.getParameterMap().forEach((name, values) -> {
            for (String value : values) check(input, name, value);
        });
        input.check();
        return true;
    }

    private static void check(Input input, String name, String value) {
        String problem = Input.controlCharacterProblem(value, false);
        if (problem != null && !input.has(name)) input.reject(name, problem);
        else if (Input.controlCharacterProblem(name, false) != null) {
            input.reject(name.replaceAll("\\p{Cntrl}", "?"), "is a parameter name with control characters");
        }
    }
}
