package io.logship;

import java.nio.file.Path;
import java.time.Duration;

import io.logship.api.ApiResponses;
import io.logship.api.ApiServer;
import io.logship.api.ApiServerFactory;
import io.logship.api.UploadGate;
import io.logship.auth.Authenticator;
import io.logship.auth.TokenRules;
import io.logship.config.RouteFileReload;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import io.logship.event.EventBatch;
import io.logship.event.EventEncoder;
import io.logship.fallback.DeadLetters;
import io.logship.fallback.ElasticsearchBulk;
import io.logship.fallback.ElasticsearchClientFactory;
import io.logship.fallback.ElasticsearchTrust;
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
import io.logship.upload.EncodingAhead;
import io.logship.upload.TmpSweeper;
import io.logship.upload.UploadQueue;
import io.logship.ship.LogstashBusyException;
import io.logship.ship.LogstashHttp;
import io.logship.ship.LogstashTls;
import io.logship.ship.NettyTlsClient;
import io.logship.ship.UdpDatagrams;
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
import org.apache.camel.support.jsse.SSLContextParameters;
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
    @PropertyInject("logstash.hosts") String logstashHosts;
    @PropertyInject("logstash.loadbalance") String logstashLoadBalance;
    @PropertyInject("logstash.circuit.failures") int circuitFailures;
    @PropertyInject("logstash.circuit.wait") double circuitWaitSeconds;
    @PropertyInject("logstash.udp.max.bytes") int udpMaxBytes;
    @PropertyInject("elasticsearch.hosts") String elasticsearchHosts;
    @PropertyInject("elasticsearch.api.version") int elasticsearchApiVersion;
    @PropertyInject("elasticsearch.bulk.size") int elasticsearchBulkSize;
    @PropertyInject("elasticsearch.socket.timeout") double elasticsearchSocketTimeoutSeconds;
    @PropertyInject("elasticsearch.username") String elasticsearchUsername;
    @PropertyInject("elasticsearch.password") String elasticsearchPassword;
    @PropertyInject("elasticsearch.api.key") String elasticsearchApiKey;
    @PropertyInject("elasticsearch.ca") String elasticsearchCa;
    @PropertyInject("elasticsearch.ca.fingerprint") String elasticsearchCaFingerprint;
    @PropertyInject("health.readiness.sinks") boolean sinksInReadiness;
    @PropertyInject("routes.dir") String routesDir;
    @PropertyInject("routes.reload") boolean routesReload;
    // storage and durability
    @PropertyInject("upload.status.sync.interval") double statusSyncIntervalSeconds;
    @PropertyInject("upload.retention") double uploadRetentionSeconds;
    @PropertyInject("jwt.clock.skew") int jwtClockSkew;
    @PropertyInject("jwt.issuer") String jwtIssuer;
    @PropertyInject("jwt.audience") String jwtAudience;
    @PropertyInject("jwt.public.key") String jwtPublicKey;
    @PropertyInject("jwt.jwks.url") String jwtJwksUrl;
    @PropertyInject("jwt.jwks.min.refresh") double jwtJwksMinRefresh;
    @PropertyInject("http.header.timeout") double httpHeaderTimeout;
    @PropertyInject("http.body.timeout") double httpBodyTimeout;
    @PropertyInject("http.max.connections") int httpMaxConnections;
    @PropertyInject("max.concurrent.uploads") int maxConcurrentUploads;
    @PropertyInject("http.retry.after") long httpRetryAfter;
    @PropertyInject("tmp.max.age") double tmpMaxAge;
    @PropertyInject("logstash.user") String logstashUser;
    @PropertyInject("logstash.password") String logstashPassword;
    @PropertyInject("logstash.ssl") boolean logstashSsl;
    @PropertyInject("logstash.ssl.ca") String logstashSslCa;
    @PropertyInject("logstash.ssl.cert") String logstashSslCert;
    @PropertyInject("logstash.ssl.key") String logstashSslKey;
    @PropertyInject("logstash.ssl.verify.hostname") boolean logstashSslVerifyHostname;
    @PropertyInject("default.timezone") String defaultTimezone;
    @PropertyInject("multiline") String multiline;
    @PropertyInject("multiline.max.lines") int multilineMaxLines;
    @PropertyInject("upload.batch.size") int uploadBatchSize;
    @PropertyInject("upload.batch.bytes") int uploadBatchBytes;
    @PropertyInject("upload.encode.threads") int encodeThreads;

    @Override
    public void configure(CamelContext context) throws Exception {
        if (!logstashProtocol.equals("tcp") && !logstashProtocol.equals("udp") && !logstashProtocol.equals("http")) {
            throw new IllegalArgumentException("LOGSTASH_PROTOCOL must be tcp, udp or http, not " + logstashProtocol);
        }
        if (logstashSsl && logstashProtocol.equals("udp")) {
            throw new IllegalArgumentException("LOGSTASH_SSL=true needs LOGSTASH_PROTOCOL tcp or http: udp has no TLS");
        }
        if (!logstashLoadBalance.equals("failover") && !logstashLoadBalance.equals("round_robin")) {
            throw new IllegalArgumentException("LOGSTASH_LOADBALANCE must be failover or round_robin, not " + logstashLoadBalance);
        }
        if (circuitFailures < 1) {
            throw new IllegalArgumentException("LOGSTASH_CIRCUIT_FAILURES must be at least 1");
        }
        if (!multiline.equals("auto") && !multiline.equals("off")) {
            throw new IllegalArgumentException("MULTILINE must be auto or off, not " + multiline);
        }
        if (batchSize < 1 || elasticsearchBulkSize < 1 || uploadBatchSize < 1) {
            throw new IllegalArgumentException("LOGSTASH_BATCH_SIZE, UPLOAD_BATCH_SIZE and ELASTICSEARCH_BULK_SIZE must be at least 1");
        }
        watchRouteFiles(context);
        pinApiPort(context.getRegistry());
        Path data = Path.of(dataDir);
        int timeoutMillis = (int) (logstashTimeoutSeconds * 1000);
        Registry registry = context.getRegistry();
        Spool spool = new Spool(data, spoolMaxBytes);
        KafkaSettings kafkaSettings = KafkaSettings.from(context);
        // with Kafka configured, Kafka takes the place of Logstash: Logstash reads from Kafka
        LogstashConnection logstash = new LogstashConnection(
                LogstashConnection.hosts(logstashHosts, logstashHost, logstashPort), logstashProtocol, logstashLoadBalance,
                timeoutMillis, useLogstash && !kafkaSettings.enabled(), circuitFailures,
                Duration.ofMillis((long) (circuitWaitSeconds * 1000)));
        LogshipMetrics metrics = new LogshipMetrics(meterRegistry(registry), logstashProtocol).gauges(spool, logstash);
        // over TCP and UDP one delivery may be a whole upload batch: counted in LOGSTASH_BATCH_SIZE batches
        ForwarderStatistics statistics = new ForwarderStatistics(metrics, logstashProtocol.equals("http") ? 0 : batchSize);
        // straight to Elasticsearch, a batch is one Bulk request: larger ones cost Elasticsearch far less per event;
        // otherwise whole LOGSTASH_BATCH_SIZE frames
        int readBatch = useLogstash ? (Math.max(uploadBatchSize, batchSize) + batchSize - 1) / batchSize * batchSize
                : elasticsearchBulkSize;
        UploadStore uploads = new UploadStore(data, readBatch, maxEventBytes,
                seconds(statusSyncIntervalSeconds), seconds(uploadRetentionSeconds), metrics)
                .joiningLines(multiline, multilineMaxLines).limitingBatchBytes(uploadBatchBytes);
        // the spool files that the uploads' saved checkpoints do not count (a crash) go before anything replays them
        uploads.spool(spool);
        uploads.logstashAcknowledges(logstashProtocol.equals("http"));
        registry.bind("forwarderStatistics", statistics);
        context.addService(new PlatformMBean(ForwarderStatistics.OBJECT_NAME, statistics));
        registry.bind("logstashRetryAfter", LogstashBusyException.RETRY_AFTER);
        registry.bind("countElasticsearchRedelivery", (Processor) exchange -> statistics.redeliveredElasticsearch());
        Authenticator authenticator = new Authenticator(new TokenRules(jwtSecret, jwtPublicKey, jwtJwksUrl,
                seconds(jwtJwksMinRefresh), Duration.ofSeconds(jwtClockSkew), jwtIssuer, jwtAudience));
        registry.bind("authenticator", authenticator);
        registry.bind("apiResponses", new ApiResponses(httpRetryAfter));
        registry.bind(UploadGate.NAME, new UploadGate(authenticator, maxConcurrentUploads,
                maxUploadBytes + ApiServerFactory.MULTIPART_ENVELOPE_BYTES, seconds(httpBodyTimeout), httpRetryAfter));
        registry.bind(ApiServer.LIMITS, new ApiServer.Limits(seconds(httpHeaderTimeout), httpMaxConnections));
        registry.bind("uploadStore", uploads);
        registry.bind("spool", spool);
        registry.bind("tmpSweeper", new TmpSweeper(data.resolve("tmp"), seconds(tmpMaxAge)));
        registry.bind("uploadQueue", new UploadQueue(context, httpRetryAfter));
        registry.bind("uploadReceiver", new UploadReceiver(uploads, spool, maxUploadBytes));
        int encoders = EncodingAhead.threads(encodeThreads, Runtime.getRuntime().availableProcessors());
        registry.bind("uploadBatches", new EncodingAhead(uploads, new EventEncoder(java.time.ZoneId.of(defaultTimezone)),
                context.getExecutorServiceManager().newFixedThreadPool(this, "encode", encoders), encoders + 1));
        registry.bind("logstashFrames", new LogstashFrames(logstashProtocol, udpMaxBytes, batchSize,
                logstashLoadBalance.equals("round_robin") && logstash.hosts().size() > 1));
        registry.bind("logstashConnection", logstash);
        registry.bind("tcpEncoder", new JsonLinesEncoder(batchSize));
        registry.bind("udpEncoder", new UdpDatagrams(udpMaxBytes));
        shipOverHttp(context);
        registry.bind("monitorApi", new MonitorApi(logstash, statistics, spool, context));
        // health checks in the registry are picked up by Camel's health-check registry (/observe/health)
        registry.bind("logstashHealthCheck", new LogstashHealthCheck(logstash, sinksInReadiness));
        registry.bind("spoolHealthCheck", new SpoolHealthCheck(spool));

        boolean elasticsearch = elasticsearchHosts != null && !elasticsearchHosts.isBlank();
        if (elasticsearch) {
            RestClient client = ElasticsearchClientFactory.create(elasticsearchHosts, elasticsearchApiVersion, timeoutMillis,
                    (int) (elasticsearchSocketTimeoutSeconds * 1000),
                    ElasticsearchClientFactory.authorization(elasticsearchUsername, elasticsearchPassword, elasticsearchApiKey),
                    ElasticsearchTrust.sslContext(elasticsearchCa, elasticsearchCaFingerprint));
            context.getComponent("elasticsearch", ElasticsearchComponent.class).setClient(client);
            registry.bind("elasticsearchHealthCheck",
                    new ElasticsearchHealthCheck(client, elasticsearchHosts, timeoutMillis, sinksInReadiness));
        }
        context.getTypeConverterRegistry().addTypeConverter(BulkRequest.Builder.class, EventBatch.class,
                new SimpleTypeConverter(false, (type, exchange, value) -> ElasticsearchBulk.request((EventBatch) value)));
        DeadLetters deadLetters = new DeadLetters(data);
        registry.bind("deadLetters", deadLetters);
        ElasticsearchBulk bulk = new ElasticsearchBulk(elasticsearch, uploads, deadLetters, statistics);
        registry.bind("elasticsearchBulk", bulk);
        KafkaSink kafka = kafkaOutput(context, kafkaSettings, uploads, meterRegistry(registry));
        // sink-delivery (errors.camel.yaml) redelivers to the one sink in use
        registry.bind("countRedelivery", kafkaSettings.enabled() ? (Processor) kafka::redelivered
                : (Processor) exchange -> statistics.redelivered());
        registry.bind("spoolReplay", new SpoolReplay(spool, logstash, bulk, statistics, uploads, kafka));
    }

    private static Duration seconds(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /**
     * LOGSTASH_PROTOCOL=http (the batch is POSTed as a JSON array) and TLS for tcp and http. The TLS parameters are
     * always bound, since the netty URI names them; Netty uses them only with {@code ssl=true}. camel-http turns to
     * https whenever it is given TLS parameters, so its URI names them through the optional placeholder
     * {@code logstash.http.tls}, set here only with LOGSTASH_SSL=true.
     */
    private void shipOverHttp(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        registry.bind("logstashHttp", new LogstashHttp(logstashUser, logstashPassword));
        context.getTypeConverterRegistry().addTypeConverter(java.io.InputStream.class, EventBatch.class,
                new SimpleTypeConverter(false, (type, exchange, value) -> LogstashHttp.body((EventBatch) value)));
        SSLContextParameters tls = LogstashTls.parameters(logstashSslCa, logstashSslCert, logstashSslKey);
        registry.bind("logstashTls", tls);
        registry.bind("logstashTlsClient", new NettyTlsClient(tls.createSSLContext(context), logstashSslVerifyHostname));
        registry.bind("logstashHostnameVerifier", LogstashTls.hostnameVerifier(logstashSslVerifyHostname));
        if (logstashSsl) {
            context.getPropertiesComponent().addInitialProperty("logstash.http.tls", "#logstashTls");
        }
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
