package io.hotswap.ops.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.rest.web.ProblemResponses;
import org.apache.catalina.Container;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat refuses some requests before any servlet sees them (an encoded '/' or '..' in the path, a malformed request
 * line) and answers them with its host's error report valve, an HTML page. Here that valve is replaced by one that
 * answers problem+json, like the rest of the API. Checked against Tomcat 10.1.48, whose {@code StandardHost} adds its
 * error report valve when it starts, before the application context starts.
 */
@Component
class ProblemJsonErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> context.addLifecycleListener(event -> {
            if (Lifecycle.AFTER_START_EVENT.equals(event.getType()) && context.getParent() instanceof StandardHost host) {
                useProblemJson(host);
            }
        }));
    }

    private static void useProblemJson(Container host) {
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof ProblemJsonValve)) host.getPipeline().removeValve(valve);
        }
        host.getPipeline().addValve(new ProblemJsonValve());
    }

    static final class ProblemJsonValve extends ErrorReportValve {

        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) return;
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) return;
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", ProblemResponses.type(ProblemResponses.typeOf(status)).toString());
            problem.put("title", reasonPhrase(status));
            problem.put("status", status);
            problem.put("detail", ProblemResponses.genericDetail(status));
            try {
                response.setContentType("application/problem+json");
                response.setCharacterEncoding("utf-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(JSON.writeValueAsString(problem));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the client went away, or the response was taken over: nothing more to tell
            }
        }

        private static String reasonPhrase(int status) {
            org.springframework.http.HttpStatus known = org.springframework.http.HttpStatus.resolve(status);
            return known == null ? null : known.getReasonPhrase();
        }
    }
}
