package io.logship.health;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.ElasticsearchServer;
import io.logship.testing.LogshipApp;
import io.logship.testing.Scrape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real Elasticsearch: its health check and logship's Elasticsearch meters (USE_LOGSTASH=false). */
@Tag("elasticsearch")
class ElasticsearchObserveTest {

    @Test
    void bulkDeliveriesAreCountedAndTheClusterIsChecked() throws Exception {
        try (ElasticsearchServer es = ElasticsearchServer.start("9.2.4");
             LogshipApp app = LogshipApp.start("elasticsearch.hosts", es.url(), "use.logstash", "false",
                     "elasticsearch.bulk.size", "2")) {
            JsonNode check = HealthTest.find(LogshipApp.json(app.get("/observe/health?data=true", null)), "elasticsearch");
            assertEquals("UP", check.path("status").asText(), check.toString());
            assertTrue(check.at("/data/cluster_status").asText().matches("green|yellow"), check.toString());
            JsonNode logstash = HealthTest.find(LogshipApp.json(app.get("/observe/health", null)), "logstash");
            assertEquals("UP", logstash.path("status").asText(), "disabled is not down");

            JsonNode result = app.uploadAndWait(app.token("acme"), "application/x-ndjson",
                    "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n".getBytes(StandardCharsets.UTF_8), null);
            assertEquals(3, result.get("sent_elasticsearch").asInt(), result.toString());
            assertEquals(3, es.count("logs-acme-*"));

            Scrape scrape = Scrape.of(app);
            assertEquals(3, scrape.value("logship_events_sent_total", "sink", "elasticsearch", "protocol", "bulk"));
            assertEquals(2, scrape.value("logship_batches_total", "sink", "elasticsearch"));
            assertEquals(0, scrape.value("logship_events_sent_total", "sink", "logstash"));
            assertTrue(!scrape.has("logship_logstash_up"), "no Logstash gauge while Logstash is not used");
        }
    }
}
