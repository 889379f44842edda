package io.logship.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One real Kafka broker (a KRaft node from the Maven Central jars, run by {@code scripts/kafka.sh}) for the
 * whole test run: started by the first test class that asks for it, shared by the others, stopped when the
 * test JVM exits. Each test uses topics of its own. {@link #stop()} and {@link #start()} make an outage.
 */
public final class KafkaBroker {

    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static KafkaBroker shared;

    private final int port;
    private final int controllerPort;
    private final Path workdir;
    private final ServerScript script;
    private boolean running;

    private KafkaBroker(int port, int controllerPort, Path workdir, ServerScript script) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.workdir = workdir;
        this.script = script;
    }

    /** The broker of this test run, started on first use (about 5 s). */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            Path workdir = ServerScript.tempDirectory("logship-kafka-");
            KafkaBroker broker = new KafkaBroker(ServerScript.freePort(), ServerScript.freePort(), workdir,
                    ServerScript.find("kafka.sh"));
            broker.run(FETCH_TIMEOUT, "fetch");
            broker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    broker.stop();
                } finally {
                    ServerScript.deleteRecursively(workdir);
                }
            }, "kafka-stop"));
            shared = broker;
        }
        return shared;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (again, with its data, after {@link #stop()}). */
    public synchronized void start() {
        if (!running) {
            run(START_TIMEOUT, "start", String.valueOf(port), workdir.toString(), String.valueOf(controllerPort));
            running = true;
        }
    }

    /** Stops the broker; its data stays for {@link #start()}. */
    public synchronized void stop() {
        if (running) {
            run(START_TIMEOUT, "stop", workdir.toString());
            running = false;
        }
    }

    /** Every record of a topic, up to the end offsets as they are now, oldest first per partition. */
    public List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private void run(Duration timeout, String... args) {
        script.run(timeout, Map.of(), args);
    }
}
