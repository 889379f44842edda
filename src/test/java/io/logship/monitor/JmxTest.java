package io.logship.monitor;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import io.logship.testing.Scrape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The monitor's statistics as an MBean, on the platform MBean server and through Jolokia over HTTP. */
class JmxTest {

    static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @Test
    void statisticsMBeanOverJmxAndJolokia() throws Exception {
        ObjectName name = new ObjectName("io.logship:type=ForwarderStatistics");
        try (LogstashListener logstash = LogstashListener.tcp();
             LogshipApp app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()))) {
            String admin = app.token("ops", "admin");
            app.uploadAndWait(app.token("acme"), "application/x-ndjson",
                    "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n".getBytes(StandardCharsets.UTF_8), null);
            logstash.awaitEvents(3, Duration.ofSeconds(10));

            assertEquals(3L, JMX.getAttribute(name, "TotalSent"));
            assertEquals(1.0, JMX.getAttribute(name, "SuccessRate"));
            // every number of the monitor API's statistics, under the same name in CamelCase
            JsonNode statistics = LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", admin)).get("statistics");
            for (Iterator<Map.Entry<String, JsonNode>> it = statistics.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                Object value = JMX.getAttribute(name, camelCase(field.getKey()));
                if (field.getValue().isObject()) {
                    assertEquals(field.getValue().toString(), LogshipApp.JSON.writeValueAsString(value), field.getKey());
                } else if (field.getValue().isNumber()) {
                    assertEquals(field.getValue().asDouble(), ((Number) value).doubleValue(), 1e-9, field.getKey());
                } else if (!field.getKey().equals("since")) {
                    assertEquals(field.getValue().isNull() ? null : field.getValue().asText(), value, field.getKey());
                }
            }

            // Camel's route statistics are MBeans too
            ObjectName route = new ObjectName("org.apache.camel:context=logship,type=routes,name=\"logstash\"");
            assertEquals(1L, JMX.getAttribute(route, "ExchangesCompleted"));

            // Jolokia: read, then reset
            JsonNode read = LogshipApp.json(app.get("/observe/jolokia/read/io.logship:type=ForwarderStatistics/TotalSent", null));
            assertEquals(200, read.get("status").asInt(), read.toString());
            assertEquals(3, read.get("value").asInt());
            JsonNode reset = LogshipApp.json(app.get("/observe/jolokia/exec/io.logship:type=ForwarderStatistics/reset", null));
            assertEquals(200, reset.get("status").asInt(), reset.toString());
            assertEquals(0L, JMX.getAttribute(name, "TotalSent"));
            assertEquals(0, LogshipApp.json(app.get("/api/v1/logs/logstash/monitor/", admin)).at("/statistics/total_sent").asInt());
            assertEquals(3, Scrape.of(app).value("logship_events_sent_total", "sink", "logstash"));
            JMX.invoke(name, "reset", null, null);

            // jolokia-access.xml: no operation that could stop logship or send messages, no system properties
            JsonNode stop = LogshipApp.json(app.get(
                    "/observe/jolokia/exec/org.apache.camel:context=logship,type=context,name=%22logship%22/stop", null));
            assertEquals(403, stop.get("status").asInt(), stop.toString());
            JsonNode properties = LogshipApp.json(app.get("/observe/jolokia/read/java.lang:type=Runtime/SystemProperties", null));
            assertEquals(403, properties.get("status").asInt());
            JsonNode routes = LogshipApp.json(app.get(
                    "/observe/jolokia/exec/org.apache.camel:context=logship,type=context,name=%22logship%22/dumpRoutesAsXml()", null));
            assertEquals(200, routes.get("status").asInt(), "Hawtio's route view reads the route definitions");
            assertTrue(routes.get("value").asText().contains("id=\"logstash\""));
        }
        assertFalse(JMX.isRegistered(name), "unregistered when logship stops");
    }

    private static String camelCase(String snake) {
        StringBuilder out = new StringBuilder();
        for (String part : snake.split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }
}
