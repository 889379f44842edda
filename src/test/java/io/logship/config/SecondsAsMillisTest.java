package io.logship.config;

import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code {{millis:logstash.retry.delay}}}: operators write seconds, Camel's options take milliseconds. */
class SecondsAsMillisTest {

    private final DefaultCamelContext context = new DefaultCamelContext();

    @BeforeEach
    void settings() {
        Properties settings = new Properties();
        settings.setProperty("fraction", "0.05");
        settings.setProperty("whole", "2");
        settings.setProperty("padded", " 1.5 ");
        settings.setProperty("rounded", "1.2345");
        settings.setProperty("word", "soon");
        context.getPropertiesComponent().setInitialProperties(settings);
    }

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void secondsBecomeMilliseconds() {
        SecondsAsMillis millis = new SecondsAsMillis();
        millis.setCamelContext(context);
        assertEquals("50", millis.apply("fraction"));
        assertEquals("2000", millis.apply("whole"));
        assertEquals("1500", millis.apply("padded"));
        assertEquals("1235", millis.apply("rounded"));
    }

    @Test
    void theFunctionIsFoundByItsNameInPlaceholders() {
        // registered through META-INF/services/org/apache/camel/properties-function/millis, as the routes use it
        assertEquals("50", context.resolvePropertyPlaceholders("{{millis:fraction}}"));
        assertEquals("2000", context.resolvePropertyPlaceholders("{{millis:whole}}"));
    }

    @Test
    void notANumberIsAClearError() {
        SecondsAsMillis millis = new SecondsAsMillis();
        millis.setCamelContext(context);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> millis.apply("word"));
        assertTrue(error.getMessage().contains("word") && error.getMessage().contains("soon"), error.getMessage());
    }
}
