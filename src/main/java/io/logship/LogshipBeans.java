package io.logship;

import java.nio.file.Path;

import io.logship.api.ApiResponses;
import io.logship.auth.Authenticator;
import io.logship.config.RouteFileReload;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import io.logship.event.EventBatch;
import io.logship.event.EventEncoder;
import io.logship.fallback.DeadLetters;
import io.logship.fallback.ElasticsearchBulk;
import io.logship.fallback.ElasticsearchClientFactory;
import io.logship.fallback.Spool;
import io.logship.fallback.SpoolReplay;
import io.logship.health.ElasticsearchHealthCheck;
import io.logship.health.LogstashHealthCheck;
import io.logship.health.SpoolHealthCheck;
import io.logship.kafka.FleetStatuses;
import io.logship.kafka.FleetTopic;
import io.logship.kafka.KafkaHealthCheck;
import io.logship.kafka.KafkaSettings;
import io.logship.kafka.KafkaSink;
import io.logship.monitor.ForwarderStatistics;
import io.logship.monitor.LogshipMetrics;
import io.logship.monitor.MonitorApi;
import io.logship.monitor.PlatformMBean;
import io.logship.ship.JsonLinesEncoder;
import io.logship.ship.LogstashConnection;
import io.logship.ship.LogstashFrames;
import io.logship.upload.UploadReceiver;
import io.logship.upload.UploadStore;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.Processor;
import org.apache.camel.PropertyInject;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.component.es.ElasticsearchComponent;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleTypeConverter;
import org.elasticsearch.client.RestClient;

/** The beans the routes call, built from the settings in application.properties (each overridable by its environment variable). */
@Configuration
public class LogshipBeans implements CamelConfiguration {

    @PropertyInject("http.port") int httpPort;
    @PropertyInject("data.dir") String dataDir;
    @PropertyInject("jwt.secret") String jwtSecret;
    @PropertyInject("max.upload.bytes") long maxUploadBytes;
    @PropertyInject("max.event.bytes") int maxEventBytes;
    @PropertyInject("spool.max.bytes") long spoolMaxBytes;
    @PropertyInject("use.logstash") boolean useLogstash;
    @PropertyInject("logstash.host") String logstashHost;
    @PropertyInject("logstash.port") int logstashPort;
    @PropertyInject("logstash.protocol") String logstashProtocol;
    @PropertyInject("logstash.timeout") double logstashTimeoutSeconds;
    @PropertyInject("logstash.batch.size") int batchSize;
    @PropertyInject("logstash.udp.max.bytes") int udpMaxBytes;
    @PropertyInject("elasticsearch.hosts") String elasticsearchHosts;
    @PropertyInject("elasticsearch.api.version") int elasticsearchApiVersion;
    @PropertyInject("elasticsearch.bulk.size") int elasticsearchBulkSize;
    @PropertyInject("health.readiness.sinks") boolean sinksInReadiness;
    @PropertyInject("routes.dir") String routesDir;
    @PropertyInject("routes.reload") boolean routesReload;

    @Override
    public void configure(CamelContext context) throws Exception {
        if (!logstashProtocol.equals("tcp") && !logstashProtocol.equals("udp")) {
            throw new IllegalArgumentException("LOGSTASH_PROTOCOL must be tcp or udp, not " + logstashProtocol);
        }
        if (batchSize < 1 || elasticsearchBulkSize < 1) {
            throw new IllegalArgumentException("LOGSTASH_BATCH_SIZE and ELASTICSEARCH_BULK_SIZE must be at least 1");
        }
        watchRouteFiles(context);
        pinApiPort(context.getRegistry());
        Path data = Path.of(dataDir);
        int timeoutMillis = (int) (logstashTimeoutSeconds * 1000);
        Registry registry = context.getRegistry();
        Spool spool = new Spool(data, spoolMaxBytes);
        KafkaSettings kafkaSettings = KafkaSettings.from(context);
        // with Kafka configured, Kafka takes the place of Logstash: Logstash reads from Kafka
        LogstashConnection logstash = new LogstashConnection(logstashHost, logstashPort, logstashProtocol,
                timeoutMillis, useLogstash && !kafkaSettings.enabled());
        LogshipMetrics metrics = new LogshipMetrics(meterRegistry(registry), logstashProtocol).gauges(spool, logstash);
        ForwarderStatistics statistics = new ForwarderStatistics(metrics);
        // straight to Elasticsearch, a batch is one Bulk request: larger ones cost Elasticsearch far less per event
        UploadStore uploads = new UploadStore(data, useLogstash ? batchSize : elasticsearchBulkSize, maxEventBytes, metrics);
        registry.bind("forwarderStatistics", statistics);
        context.addService(new PlatformMBean(ForwarderStatistics.OBJECT_NAME, statistics));
        registry.bind("countRedelivery", (Processor) exchange -> statistics.redelivered());
        registry.bind("countElasticsearchRedelivery", (Processor) exchange -> statistics.redeliveredElasticsearch());
        registry.bind("authenticator", new Authenticator(jwtSecret));
        registry.bind("apiResponses", new ApiResponses());
        registry.bind("uploadStore", uploads);
        registry.bind("spool", spool);
        registry.bind("uploadReceiver", new UploadReceiver(uploads, spool, maxUploadBytes));
        registry.bind("eventEncoder", new EventEncoder());
        registry.bind("logstashFrames", new LogstashFrames(logstashProtocol, udpMaxBytes));
        registry.bind("logstashConnection", logstash);
        registry.bind("tcpEncoder", new JsonLinesEncoder());
        registry.bind("udpEncoder", JsonLinesEncoder.forUdp());
        registry.bind("monitorApi", new MonitorApi(logstash, statistics, spool, context));
        // health checks in the registry are picked up by Camel's health-check registry (/observe/health)
        registry.bind("logstashHealthCheck", new LogstashHealthCheck(logstash, sinksInReadiness));
        registry.bind("spoolHealthCheck", new SpoolHealthCheck(spool));

        boolean elasticsearch = elasticsearchHosts != null && !elasticsearchHosts.isBlank();
        if (elasticsearch) {
            RestClient client = ElasticsearchClientFactory.create(elasticsearchHosts, elasticsearchApiVersion, timeoutMillis);
            context.getComponent("elasticsearch", ElasticsearchComponent.class).setClient(client);
            registry.bind("elasticsearchHealthCheck",
                    new ElasticsearchHealthCheck(client, elasticsearchHosts, timeoutMillis, sinksInReadiness));
        }
        context.getTypeConverterRegistry().addTypeConverter(BulkRequest.Builder.class, EventBatch.class,
                new SimpleTypeConverter(false, (type, exchange, value) -> ElasticsearchBulk.request((EventBatch) value)));
        ElasticsearchBulk bulk = new ElasticsearchBulk(elasticsearch, uploads, new DeadLetters(data), statistics);
        registry.bind("elasticsearchBulk", bulk);
        KafkaSink kafka = kafkaOutput(context, kafkaSettings, uploads, meterRegistry(registry));
        registry.bind("spoolReplay", new SpoolReplay(spool, logstash, bulk, statistics, kafka));
    }

    /**
     * KAFKA_BOOTSTRAP_SERVERS: events go to Kafka (kafka.camel.yaml) and upload statuses are shared with the
     * fleet through a compacted topic. The beans exist either way, for the routes that name them.
     */
    private KafkaSink kafkaOutput(CamelContext context, KafkaSettings settings, UploadStore uploads, MeterRegistry meters)
            throws Exception {
        Registry registry = context.getRegistry();
        KafkaSink kafka = new KafkaSink(settings, context.resolvePropertyPlaceholders("{{kafka.topic}}"), meters);
        FleetStatuses fleet = new FleetStatuses(context, settings.enabled());
        registry.bind("kafkaSink", kafka);
        registry.bind("fleetStatuses", fleet);
        registry.bind("countKafkaRedelivery", (Processor) kafka::redelivered);
        if (settings.enabled()) {
            KafkaConfiguration shared = context.getComponent("kafka", KafkaComponent.class).getConfiguration();
            shared.setBrokers(settings.bootstrapServers());
            shared.setAdditionalProperties(new java.util.HashMap<>(settings.client()));
            // KAFKA_TIMEOUT bounds a send: waiting for metadata, for a request, and for the acknowledgement in all
            // (which Kafka wants at least linger + request timeout)
            shared.setMaxBlockMs(settings.timeoutMillis());
            shared.setRequestTimeoutMs(settings.timeoutMillis());
            shared.setDeliveryTimeoutMs(settings.timeoutMillis() + context.getPropertiesComponent()
                    .resolveProperty("kafka.linger.ms").map(Integer::parseInt).orElse(0));
            // the only consumer reads the fleet's statuses: every instance needs all of them, so a group of its own
            shared.setGroupId("logship-fleet-" + java.util.UUID.randomUUID());
            registry.bind("kafkaHealthCheck", new KafkaHealthCheck(kafka, sinksInReadiness));
            uploads.fleet(fleet);
            FleetTopic topic = new FleetTopic(settings, context.resolvePropertyPlaceholders("{{kafka.status.topic}}"), kafka, fleet);
            context.addService(topic);
            context.addStartupListener(topic);
        }
        return kafka;
    }

    /** ROUTES_RELOAD: edits in ROUTES_DIR apply while running. */
    private void watchRouteFiles(CamelContext context) throws Exception {
        if (routesReload) {
            if (routesDir == null || routesDir.isBlank()) {
                throw new IllegalArgumentException("ROUTES_RELOAD=true needs ROUTES_DIR: routes on the classpath cannot be watched");
            }
            context.addService(new RouteFileReload(Path.of(routesDir)));
        }
    }

    /**
     * Camel 4.17 finds the API's port by looking for the only Vert.x server; with MANAGEMENT_PORT apart there are
     * two, and the platform-http routes would look for a server on the default port 8080 and fail to start.
     */
    private void pinApiPort(Registry registry) {
        registry.bind(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME, PlatformHttpEngine.class, new VertxPlatformHttpEngine() {
            @Override
            public int getServerPort() {
                return httpPort;
            }
        });
    }

    /**
     * The registry camel-micrometer-prometheus serves at /observe/metrics: whichever of it and these beans
     * comes first creates it under Camel's name, so route metrics and logship's meters are scraped together.
     */
    private static MeterRegistry meterRegistry(Registry registry) {
        MeterRegistry meters = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        return meters;
    }
}
