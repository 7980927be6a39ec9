package io.hotswap.ops.web;

import io.hotswap.rest.web.ProblemResponses;
import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

import java.io.IOException;

/**
 * Cuts the connection of an answer that {@link ProblemResponses} marked {@link ProblemResponses#BROKEN_OFF}: a stream
 * (the audit export) whose source failed after its first bytes were sent. Closing at once leaves out the chunked
 * encoding's last chunk, so the client's read fails instead of ending as if the answer were complete. Tomcat's own
 * error report valve does the same for failures it sees after the commit.
 */
@Component
class BrokenOffAnswers implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextValves(new CutWhenBrokenOff());
    }

    static final class CutWhenBrokenOff extends ValveBase {

        CutWhenBrokenOff() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            getNext().invoke(request, response);
            Object failure = request.getAttribute(ProblemResponses.BROKEN_OFF);
            if (failure != null) response.getCoyoteResponse().action(ActionCode.CLOSE_NOW, failure);
        }
    }
}
