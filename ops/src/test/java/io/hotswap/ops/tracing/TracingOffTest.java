package io.hotswap.ops.tracing;

import io.hotswap.ops.support.ServerTest;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Tracing off, the default: nothing of it is built, so a request pays for none of it. */
class TracingOffTest extends ServerTest {

    @Autowired
    private ApplicationContext context;

    @Test
    void noTracerSpanOrExporterExistsByDefault() {
        assertThat(http.get("/api/v1/plugins", admin).status()).isEqualTo(200);
        assertThat(context.getBeansOfType(Tracer.class)).isEmpty();
        assertThat(context.getBeansOfType(TracingObservationHandler.class)).isEmpty();
        assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty();
        assertThat(context.getBean(SpanFactory.class)).isSameAs(NoOpSpanFactory.INSTANCE);
    }
}
