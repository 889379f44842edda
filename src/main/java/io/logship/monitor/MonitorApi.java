package io.logship.monitor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.logship.auth.Authenticator;
import io.logship.auth.Tenant;
import io.logship.event.EventBatch;
import io.logship.event.EventEncoder;
import io.logship.event.EventId;
import io.logship.fallback.Spool;
import io.logship.kafka.KafkaSink;
import io.logship.ship.LogstashConnection;
import io.logship.upload.Upload;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.health.HealthCheck;

/** {@code /api/v1/logs/logstash/monitor/}: health, statistics and configuration; a test message. */
public class MonitorApi {

    /** The settings shown to operators (never the JWT secret). */
    public static final List<String> SHOWN_SETTINGS = List.of("logstash.host", "logstash.port", "logstash.protocol",
            "logstash.timeout", "logstash.max.retries", "logstash.retry.delay", "logstash.batch.size",
            "logstash.udp.max.bytes", "logstash.hosts", "logstash.loadbalance", "logstash.circuit.failures",
            "logstash.circuit.wait", "logstash.user", "logstash.ssl", "logstash.ssl.ca", "logstash.ssl.cert",
            "logstash.ssl.verify.hostname", "use.logstash", "elasticsearch.hosts", "max.upload.bytes", "max.event.bytes",
            "spool.max.bytes", "data.dir", "kafka.bootstrap.servers", "kafka.topic", "kafka.compression",
            "kafka.security.protocol", "kafka.status.topic");

    private final LogstashConnection logstash;
    private final ForwarderStatistics statistics;
    private final Spool spool;
    private final CamelContext context;
    private final EventEncoder encoder = new EventEncoder();
    private ProducerTemplate producer;

    public MonitorApi(LogstashConnection logstash, ForwarderStatistics statistics, Spool spool, CamelContext context) {
        this.logstash = logstash;
        this.statistics = statistics;
        this.spool = spool;
        this.context = context;
    }

    public Map<String, Object> report() {
        Map<String, Object> health = logstash.health();
        if (health.get("last_error") == null) {
            health.put("last_error", statistics.getLastError());
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("health", health);
        report.put("statistics", statistics.view());
        report.put("elasticsearch", elasticsearch());
        KafkaSink kafka = context.getRegistry().lookupByNameAndType("kafkaSink", KafkaSink.class);
        if (kafka != null) {
            report.put("kafka", kafka.view());
        }
        report.put("spool", spool.view());
        report.put("configuration", configuration());
        return report;
    }

    /** The fallback path as its health check sees it, or {@code enabled: false}. */
    private Map<String, Object> elasticsearch() {
        Map<String, Object> view = new LinkedHashMap<>();
        HealthCheck check = context.getRegistry().lookupByNameAndType("elasticsearchHealthCheck", HealthCheck.class);
        view.put("enabled", check != null);
        if (check != null) {
            HealthCheck.Result result = check.call();
            view.put("status", result.getState() == HealthCheck.State.UP ? "healthy" : "unhealthy");
            view.put("message", result.getMessage().orElse(null));
            view.putAll(result.getDetails());
        }
        return view;
    }

    /** Sends one event tagged {@code monitor_test} straight to Logstash, without retries or fallback. */
    public Map<String, Object> sendTest(@ExchangeProperty(Authenticator.TENANT) Tenant tenant) throws Exception {
        String tenantId = tenant.id() != null && Tenant.VALID_ID.matcher(tenant.id()).matches() ? tenant.id() : "logship";
        String id = "monitor-" + System.currentTimeMillis();
        Upload upload = new Upload(id, tenantId, "logship-monitor", null, true, 0);
        byte[] event = encoder.encodeOne("logship monitor test message", "monitor_test", upload);
        EventBatch batch = new EventBatch(id, tenantId, event, event.length, new int[] {event.length}, new long[] {1}, 1, 0, 0);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("event_id", EventId.of(id, 1));
        result.put("protocol", logstash.protocol());
        if (!logstash.enabled()) {
            result.put("sent", false);
            result.put("error", "USE_LOGSTASH is false");
            return result;
        }
        Exchange answer = producer().send("direct:logstash-once", exchange -> exchange.getMessage().setBody(batch));
        result.put("sent", answer.getException() == null);
        if (answer.getException() != null) {
            String error = ForwarderStatistics.describe(answer.getException());
            result.put("error", error);
            statistics.error(error);
        }
        return result;
    }

    public Map<String, Object> reset() {
        statistics.reset();
        return Map.of("status", "reset", "statistics", statistics.view());
    }

    private Map<String, Object> configuration() {
        Map<String, Object> config = new LinkedHashMap<>();
        for (String key : SHOWN_SETTINGS) {
            config.put(key.replace('.', '_').toLowerCase(Locale.ROOT),
                    context.getPropertiesComponent().resolveProperty(key).orElse(null));
        }
        return config;
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = context.createProducerTemplate();
        }
        return producer;
    }
}
