package io.logship.fallback;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.ElasticsearchServer;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogshipProcess;
import io.logship.testing.UploadCounts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * logship is killed with SIGKILL in the middle of a large upload and started again on the same
 * DATA_DIR: the upload resumes from its last checkpoint, every line ends up in Elasticsearch, and
 * because event_id is the document id nothing is there twice.
 */
@Tag("elasticsearch")
class CrashResumeTest {

    private static final int EVENTS = 150_000;

    @Test
    void killedMidUploadResumesWithEveryLineOnceInElasticsearch() throws Exception {
        try (ElasticsearchServer elasticsearch = ElasticsearchServer.start("8.19.21");
             LogshipProcess logship = new LogshipProcess("crash", Map.of("USE_LOGSTASH", "false",
                     "ELASTICSEARCH_HOSTS", elasticsearch.url(), "ELASTICSEARCH_BULK_SIZE", "500"))) {
            logship.start();
            String uploadId = logship.upload(EVENTS, i -> "{\"@timestamp\":\"2024-08-01T00:00:00Z\",\"seq\":" + i
                    + ",\"message\":\"event number " + i + "\"}");
            LogshipApp.await(Duration.ofSeconds(120), () -> elasticsearch.count("logs-crash-2024.08") >= EVENTS / 10);
            logship.kill();
            int atCrash = elasticsearch.count("logs-crash-2024.08");
            assertTrue(atCrash < EVENTS, "killed mid-way, with " + atCrash + " of " + EVENTS + " indexed");

            logship.start();
            JsonNode result = logship.awaitCompleted(uploadId, Duration.ofSeconds(180), UploadCounts::assertBalanced);
            UploadCounts.assertBalanced(result);
            assertEquals(EVENTS, result.get("received").asInt());
            assertEquals(EVENTS, result.get("sent_elasticsearch").asInt());

            assertEquals(EVENTS, elasticsearch.count("logs-crash-2024.08"), "every line once: no loss, no duplicate");
            JsonNode maxSeq = LogshipApp.JSON.readTree(elasticsearch.post("/logs-crash-2024.08/_search",
                    "{\"size\":0,\"aggs\":{\"distinct\":{\"cardinality\":{\"field\":\"seq\",\"precision_threshold\":40000}},"
                            + "\"max\":{\"max\":{\"field\":\"seq\"}}}}"));
            assertEquals(EVENTS, maxSeq.at("/aggregations/max/value").asInt());
        }
    }
}
