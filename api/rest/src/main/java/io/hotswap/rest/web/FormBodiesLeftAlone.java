package io.hotswap.rest.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code curl -d} labels a JSON body {@code application/x-www-form-urlencoded}. The first {@code getParameter} call
 * (a {@code @RequestParam} such as {@code dryRun}) would make the servlet container read the body as a form, and the
 * JSON would be gone before {@link JsonBodies} reads it: here request parameters of such requests come from the query
 * string only, so every endpoint reads those bodies the same way. Nothing of ours takes form fields.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class FormBodiesLeftAlone extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(isForm(request) ? new QueryParametersOnly(request) : request, response);
    }

    private static boolean isForm(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null) return false;
        try {
            return MediaType.APPLICATION_FORM_URLENCODED.includes(MediaType.parseMediaType(contentType));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static final class QueryParametersOnly extends HttpServletRequestWrapper {

        private final Map<String, String[]> parameters;

        QueryParametersOnly(HttpServletRequest request) {
            super(request);
            this.parameters = Collections.unmodifiableMap(parse(request.getQueryString()));
        }

        private static Map<String, String[]> parse(String query) {
            Map<String, String[]> parsed = new LinkedHashMap<>();
            if (query == null || query.isEmpty()) return parsed;
            MultiValueMap<String, String> raw = UriComponentsBuilder.newInstance().query(query).build().getQueryParams();
            MultiValueMap<String, String> decoded = new LinkedMultiValueMap<>();
            raw.forEach((name, values) -> values.forEach(value -> decoded.add(decode(name), decode(value))));
            decoded.forEach((name, values) -> parsed.put(name, values.toArray(String[]::new)));
            return parsed;
        }

        private static String decode(String text) {
            if (text == null) return "";
            try {
                return UriUtils.decode(text.replace('+', ' '), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return text;
            }
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters.get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(List.copyOf(parameters.keySet()));
        }

        @Override
        public String[] getParameterValues(String name) {
            return parameters.get(name);
        }
    }
}
