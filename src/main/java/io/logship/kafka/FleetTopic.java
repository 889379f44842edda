package io.logship.kafka;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Service;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once logship is up: makes sure the fleet's status topic exists and is compacted (only the latest status of
 * each upload is kept), then starts the route that reads it. In the background, so a broker that is down at
 * start delays the fleet view, never the API. On stop, closes the Kafka clients logship made itself.
 */
public class FleetTopic implements ExtendedStartupListener, Service {

    public static final String ROUTE = "fleet-statuses";
    private static final Logger LOG = LoggerFactory.getLogger(FleetTopic.class);

    private final KafkaSettings settings;
    private final String topic;
    private final KafkaSink sink;
    private final FleetStatuses fleet;

    public FleetTopic(KafkaSettings settings, String topic, KafkaSink sink, FleetStatuses fleet) {
        this.settings = settings;
        this.topic = topic;
        this.sink = sink;
        this.fleet = fleet;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Thread thread = new Thread(() -> {
            createTopic();
            try {
                context.getRouteController().startRoute(ROUTE);
            } catch (Exception e) {
                LOG.error("Could not start the route {}: the fleet's upload statuses are not read", ROUTE, e);
            }
        }, "logship-fleet-topic");
        thread.setDaemon(true);
        thread.start();
    }

    private void createTopic() {
        NewTopic compacted = new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        Map<String, Object> config = new java.util.HashMap<>(settings.adminClient());
        // at start a cluster may take longer than one send may wait
        config.put("default.api.timeout.ms", Math.max(settings.timeoutMillis(), 30_000));
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(List.of(compacted)).all().get(Math.max(settings.timeoutMillis(), 30_000), TimeUnit.MILLISECONDS);
            LOG.info("Created the compacted topic {} for the fleet's upload statuses", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn("Could not create the topic {} ({}); create it compacted (cleanup.policy=compact)", topic,
                        e.getCause().getMessage());
            }
        } catch (Exception e) {
            LOG.warn("Could not create the topic {} ({}); create it compacted (cleanup.policy=compact)", topic,
                    e.getMessage());
        }
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
        fleet.close();
        sink.close();
    }
}
