package io.logship.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;

/**
 * The Kafka client settings every Kafka client of logship shares (the log producer, the fleet's status
 * producer and consumer, the health check): the bootstrap servers and the security settings, passed through
 * to Kafka under their Kafka names ({@code KAFKA_SASL_JAAS_CONFIG} -> {@code sasl.jaas.config}). Only settings
 * that are set are passed, so Kafka's own defaults hold for the rest.
 */
public record KafkaSettings(String bootstrapServers, int timeoutMillis, Map<String, Object> client) {

    /** logship's keys, each the Kafka client setting of the same name after {@code kafka.}. */
    public static final List<String> PASSED_THROUGH = List.of("kafka.security.protocol", "kafka.sasl.mechanism",
            "kafka.sasl.jaas.config", "kafka.ssl.truststore.location", "kafka.ssl.truststore.password",
            "kafka.ssl.truststore.type", "kafka.ssl.keystore.location", "kafka.ssl.keystore.password",
            "kafka.ssl.keystore.type", "kafka.ssl.key.password");

    public static KafkaSettings from(CamelContext context) {
        String servers = resolve(context, "kafka.bootstrap.servers");
        Map<String, Object> client = new LinkedHashMap<>();
        for (String key : PASSED_THROUGH) {
            String value = resolve(context, key);
            if (!value.isEmpty()) {
                client.put(key.substring("kafka.".length()), value);
            }
        }
        double seconds = Double.parseDouble(resolve(context, "kafka.timeout"));
        return new KafkaSettings(servers, (int) (seconds * 1000), client);
    }

    public boolean enabled() {
        return !bootstrapServers.isEmpty();
    }

    /** Settings for a plain Kafka client (the health check's admin client). */
    public Map<String, Object> adminClient() {
        Map<String, Object> config = new LinkedHashMap<>(client);
        config.put("bootstrap.servers", bootstrapServers);
        config.put("request.timeout.ms", timeoutMillis);
        config.put("default.api.timeout.ms", timeoutMillis);
        return config;
    }

    private static String resolve(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("").trim();
    }
}
