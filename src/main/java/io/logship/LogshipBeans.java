package io.logship;

import java.nio.file.Path;

import io.logship.api.ApiResponses;
import io.logship.auth.Authenticator;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import io.logship.event.EventBatch;
import io.logship.event.EventEncoder;
import io.logship.fallback.DeadLetters;
import io.logship.fallback.ElasticsearchBulk;
import io.logship.fallback.ElasticsearchClientFactory;
import io.logship.fallback.Spool;
import io.logship.fallback.SpoolReplay;
import io.logship.monitor.ForwarderStatistics;
import io.logship.monitor.MonitorApi;
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
import org.apache.camel.component.es.ElasticsearchComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.SimpleTypeConverter;

/** The beans the routes call, built from the settings in application.properties (each overridable by its environment variable). */
@Configuration
public class LogshipBeans implements CamelConfiguration {

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

    @Override
    public void configure(CamelContext context) throws Exception {
        if (!logstashProtocol.equals("tcp") && !logstashProtocol.equals("udp")) {
            throw new IllegalArgumentException("LOGSTASH_PROTOCOL must be tcp or udp, not " + logstashProtocol);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("LOGSTASH_BATCH_SIZE must be at least 1");
        }
        Path data = Path.of(dataDir);
        Registry registry = context.getRegistry();
        ForwarderStatistics statistics = new ForwarderStatistics();
        UploadStore uploads = new UploadStore(data, batchSize, maxEventBytes);
        Spool spool = new Spool(data, spoolMaxBytes);
        LogstashConnection logstash = new LogstashConnection(logstashHost, logstashPort, logstashProtocol,
                (int) (logstashTimeoutSeconds * 1000), useLogstash);
        registry.bind("forwarderStatistics", statistics);
        registry.bind("countRedelivery", (Processor) exchange -> statistics.redelivered());
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

        boolean elasticsearch = elasticsearchHosts != null && !elasticsearchHosts.isBlank();
        if (elasticsearch) {
            context.getComponent("elasticsearch", ElasticsearchComponent.class).setClient(ElasticsearchClientFactory
                    .create(elasticsearchHosts, elasticsearchApiVersion, (int) (logstashTimeoutSeconds * 1000)));
        }
        context.getTypeConverterRegistry().addTypeConverter(BulkRequest.Builder.class, EventBatch.class,
                new SimpleTypeConverter(false, (type, exchange, value) -> ElasticsearchBulk.request((EventBatch) value)));
        ElasticsearchBulk bulk = new ElasticsearchBulk(elasticsearch, uploads, new DeadLetters(data), statistics);
        registry.bind("elasticsearchBulk", bulk);
        registry.bind("spoolReplay", new SpoolReplay(spool, logstash, bulk, statistics));
    }
}
