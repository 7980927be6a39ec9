package io.hotswap.ops.projection;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotswap.api.tenant.CreateTenantCommand;
import io.hotswap.api.tenant.TenantQuotas;
import io.hotswap.ops.support.Http;
import io.hotswap.ops.support.Prometheus;
import io.hotswap.ops.support.ServerTest;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.Segment;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.web.server.LocalManagementPort;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static io.hotswap.ops.support.Prometheus.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A projection that cannot handle an event parks it, and the aggregate's later events behind it, while the others go
 * on; the parked events show in {@code GET /projections}, the dead-letter list and the metric until a retry handles
 * them.
 */
@AutoConfigureObservability
class DeadLetterQueueTest extends ServerTest {

    @Autowired
    private CommandGateway commands;
    @LocalManagementPort
    private int managementPort;

    @Test
    void parksWhatItCannotHandleAndHandlesItOnRetryOnceTheCauseIsFixed() {
        // a read-model table that refuses one plugin, as a broken migration or a full disk would refuse writes
        jdbc.sql("ALTER TABLE plugin_view ADD CONSTRAINT refuses_parked CHECK (plugin_id <> 'parked-plugin')").update();
        assertThat(registerPlugin("parked-plugin", "1.0.0", "one".getBytes(), "{}").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters("plugin-catalogue").size() == 2);
        assertThat(registerPlugin("parked-plugin", "1.1.0", "two".getBytes(), "{}").status()).isEqualTo(201);
        assertThat(registerPlugin("flowing-plugin", "1.0.0", "three".getBytes(), "{}").status()).isEqualTo(201);
        awaitProjections();

        assertThat(http.get("/api/v1/plugins/flowing-plugin", admin).status()).as("other aggregates go on").isEqualTo(200);
        assertThat(http.get("/api/v1/plugins/parked-plugin", admin).status()).isEqualTo(404);
        List<JsonNode> letters = deadLetters("plugin-catalogue");
        assertThat(letters).extracting(letter -> letter.get("eventType").asText())
                .containsExactly("PluginRegistered", "PluginVersionRegistered", "PluginVersionRegistered");
        assertThat(letters).extracting(letter -> letter.get("aggregateId").asText()).containsOnly("parked-plugin");
        assertThat(deadLettersByCursor("plugin-catalogue")).as("one at a time, by cursor").isEqualTo(letters);
        JsonNode first = letters.get(0);
        assertThat(first.get("cause").get("type").asText()).isEqualTo("org.springframework.dao.DataIntegrityViolationException");
        assertThat(first.get("cause").get("message").asText()).contains("refuses_parked");
        assertThat(first.get("globalPosition").asLong()).isEqualTo(position(first.get("eventId").asText()));
        assertThat(first.get("retries").asInt()).isZero();
        assertThat(first.get("enqueuedAt").asText()).isNotBlank();
        assertThat(letters.subList(1, 3)).as("the later events wait behind the first, with no failure of their own")
                .allMatch(letter -> letter.get("cause").isNull());
        JsonNode catalogue = projection("plugin-catalogue");
        assertThat(catalogue.get("deadLetters").get("count").asLong()).isEqualTo(3);
        assertThat(catalogue.get("deadLetters").get("oldest").asText()).isEqualTo(first.get("enqueuedAt").asText());
        assertThat(catalogue.get("deadLetters").get("cause")).isEqualTo(first.get("cause"));
        assertThat(catalogue.get("position").asLong()).as("caught up around them").isEqualTo(catalogue.get("head").asLong());
        assertThat(projection("deployment-view").get("deadLetters").get("count").asLong()).isZero();
        assertThat(sample(Prometheus.scrape(managementPort), "projection_dead_letters{projection=\"plugin-catalogue\"}"))
                .isEqualTo(3);

        JsonNode stillBroken = retry("plugin-catalogue");
        assertThat(stillBroken.get("handled").asLong()).isZero();
        assertThat(stillBroken.get("stillParked").asLong()).isEqualTo(3);
        assertThat(deadLetters("plugin-catalogue").get(0).get("retries").asInt()).isEqualTo(1);

        jdbc.sql("ALTER TABLE plugin_view DROP CONSTRAINT refuses_parked").update();
        JsonNode fixed = retry("plugin-catalogue");
        assertThat(fixed.get("handled").asLong()).isEqualTo(3);
        assertThat(fixed.get("stillParked").asLong()).isZero();
        JsonNode plugin = http.get("/api/v1/plugins/parked-plugin", admin).json();
        assertThat(plugin.findValuesAsText("version")).containsExactlyInAnyOrder("1.1.0", "1.0.0");
        assertThat(deadLetters("plugin-catalogue")).isEmpty();
        assertThat(projection("plugin-catalogue").get("deadLetters").get("count").asLong()).isZero();
        assertThat(sample(Prometheus.scrape(managementPort), "projection_dead_letters{projection=\"plugin-catalogue\"}"))
                .isZero();
    }

    /**
     * The API refuses a name with NUL now (BadInputTest), but a stored event keeps it: PostgreSQL cannot write it into
     * the tenant view or the audit trail, and each parks it rather than stall a quarter of all tenants.
     */
    @Test
    void aStoredTenantNameWithNulIsParkedByEachProjectionThatCannotWriteIt() {
        commands.sendAndWait(new CreateTenantCommand("tenant-nul", "Nul\u0000Corp", "nul-corp", new TenantQuotas(1, 1, 1)));
        createTenant("tenant-after-nul", "after-nul");
        // the first failure rolls its batch back, the second (in a savepoint) parks the event
        await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters("tenant-view").size() == 1
                && deadLetters("audit-trail").size() == 1);
        awaitProjections();

        assertThat(http.get("/api/v1/tenants/tenant-after-nul", admin).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/tenants/tenant-nul", admin).status()).isEqualTo(404);
        JsonNode view = single(deadLetters("tenant-view"));
        assertThat(view.get("aggregateId").asText()).isEqualTo("tenant-nul");
        assertThat(view.get("eventType").asText()).isEqualTo("TenantCreated");
        assertThat(view.get("cause").get("message").asText()).contains("0x00");
        JsonNode audit = single(deadLetters("audit-trail"));
        assertThat(audit.get("eventId").asText()).isEqualTo(view.get("eventId").asText());
        assertThat(audit.get("cause").get("message").asText()).contains("Unicode");
        assertThat(http.get("/api/v1/audit?aggregateId=tenant-after-nul", admin).json().get("items")).hasSize(1);
        assertThat(sample(Prometheus.scrape(managementPort), "projection_dead_letters{projection=\"audit-trail\"}"))
                .isEqualTo(1);

        JsonNode retried = retry("tenant-view");
        assertThat(retried.get("stillParked").asLong()).as("NUL still cannot be stored").isEqualTo(1);
        assertThat(single(deadLetters("tenant-view")).get("retries").asInt()).isEqualTo(1);

        // a rebuild starts from a clean slate: the event is parked once again, not twice
        assertThat(http.post("/api/v1/projections/tenant-view/replay", admin, null, "").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(15)).until(() -> !projection("tenant-view").get("replaying").asBoolean()
                && http.get("/api/v1/tenants/tenant-after-nul", admin).status() == 200);
        await().atMost(Duration.ofSeconds(15)).until(() -> deadLetters("tenant-view").size() == 1);
        JsonNode reparked = single(deadLetters("tenant-view"));
        assertThat(reparked.get("eventId").asText()).isEqualTo(view.get("eventId").asText());
        assertThat(reparked.get("retries").asInt()).isZero();
    }

    /**
     * A replay handles the events of a segment in batches of up to 100, one transaction each, and sends their writes
     * together before the commit. When that fails, the batch is handled again an event at a time: only the event that
     * cannot be written is parked (with its aggregate's later events); the others of its batch are written.
     */
    @Test
    void aReplayParksOnlyTheEventsThatCannotBeWrittenAndWritesTheRestOfTheirBatch() {
        List<String> plugins = IntStream.range(0, 12).mapToObj(i -> "batched-plugin-" + i).toList();
        for (String plugin : plugins) {
            assertThat(registerPlugin(plugin, "1.0.0", plugin.getBytes(), "{}").status()).isEqualTo(201);
        }
        awaitProjections();
        String refused = plugins.get(0);
        // the processors run on 4 segments (AxonConfig); a batch holds events of one segment only
        Segment segment = Arrays.stream(Segment.computeSegments(0, 1, 2, 3)).filter(s -> s.matches(refused))
                .findFirst().orElseThrow();
        assertThat(plugins.subList(1, plugins.size())).as("plugins whose events share batches with the refused one's")
                .anyMatch(segment::matches);
        // NOT VALID: the row is there now; the replay deletes it and then cannot write it again
        jdbc.sql("ALTER TABLE plugin_view ADD CONSTRAINT refuses_batched CHECK (plugin_id <> '" + refused + "') NOT VALID")
                .update();
        try {
            assertThat(http.post("/api/v1/projections/plugin-catalogue/replay", admin, null, "").status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> !projection("plugin-catalogue").get("replaying").asBoolean()
                    && deadLetters("plugin-catalogue").size() == 2);

            assertThat(deadLetters("plugin-catalogue")).extracting(letter -> letter.get("aggregateId").asText())
                    .containsOnly(refused);
            assertThat(http.get("/api/v1/plugins/" + refused, admin).status()).isEqualTo(404);
            for (String plugin : plugins.subList(1, plugins.size())) {
                assertThat(http.get("/api/v1/plugins/" + plugin, admin).json().findValuesAsText("version"))
                        .as(plugin).containsExactly("1.0.0");
            }
        } finally {
            jdbc.sql("ALTER TABLE plugin_view DROP CONSTRAINT refuses_batched").update();
        }
        assertThat(retry("plugin-catalogue").get("handled").asLong()).isEqualTo(2);
        assertThat(http.get("/api/v1/plugins/" + refused, admin).status()).isEqualTo(200);
    }

    @Test
    void listsEveryGroupThatDeadLettersAndRefusesWhatIsNoneOfThem() {
        assertThat(http.get("/api/v1/projections", admin).json().findValuesAsText("name")).containsExactly(
                "audit-trail", "deployment-metrics", "deployment-queue", "deployment-view", "plugin-catalogue", "tenant-view");
        Http.Response policy = http.post("/api/v1/projections/deployment-queue/replay", admin, null, "");
        assertThat(policy.status()).isEqualTo(409);
        assertThat(policy.json().get("detail").asText()).contains("never handle an old event twice");
        assertThat(http.get("/api/v1/projections/deployment-queue/dead-letters", admin).status()).isEqualTo(200);
        for (String notDeadLettering : List.of("event-stream", "tenant-quota-policy", "no-such-view")) {
            Http.Response list = http.get("/api/v1/projections/" + notDeadLettering + "/dead-letters", admin);
            assertThat(list.status()).isEqualTo(404);
            assertThat(list.contentType()).isEqualTo("application/problem+json");
            assertThat(http.post("/api/v1/projections/" + notDeadLettering + "/dead-letters/retry", admin, null, "")
                    .status()).isEqualTo(404);
        }
        String tenantAdmin = token("t", "tenant-admin", "tenant-x");
        assertThat(http.get("/api/v1/projections/audit-trail/dead-letters", tenantAdmin).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/projections/audit-trail/dead-letters/retry", tenantAdmin, null, "").status())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/projections/audit-trail/dead-letters?size=0", admin).status()).isEqualTo(400);
    }

    private List<JsonNode> deadLetters(String projection) {
        Http.Response response = http.get("/api/v1/projections/" + projection + "/dead-letters?size=100", admin);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return StreamSupport.stream(response.json().get("items").spliterator(), false).toList();
    }

    /** The letters a page of one at a time, each page from the {@code next} of the one before. */
    private List<JsonNode> deadLettersByCursor(String projection) {
        List<JsonNode> letters = new ArrayList<>();
        String path = "/api/v1/projections/" + projection + "/dead-letters?size=1";
        for (int pages = 0; pages < 100; pages++) {
            JsonNode page = http.get(path, admin).json();
            page.get("items").forEach(letters::add);
            if (page.get("next").isNull()) return letters;
            path = "/api/v1/projections/" + projection + "/dead-letters?size=1&after="
                    + URLEncoder.encode(page.get("next").asText(), StandardCharsets.UTF_8);
        }
        throw new AssertionError("the walk did not end: " + letters);
    }

    private JsonNode projection(String name) {
        JsonNode all = http.get("/api/v1/projections", admin).json();
        return StreamSupport.stream(all.spliterator(), false).filter(p -> p.get("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + all));
    }

    private JsonNode retry(String projection) {
        Http.Response response = http.post("/api/v1/projections/" + projection + "/dead-letters/retry", admin, null, "");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private long position(String eventId) {
        return jdbc.sql("SELECT global_index FROM domain_event_entry WHERE event_identifier = ?").param(eventId)
                .query(Long.class).single();
    }

    private static JsonNode single(List<JsonNode> letters) {
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }
}
