package io.logship.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class's logship, with its default settings and a real TCP listener in Logstash's place. */
public abstract class WithTcpLogstash {

    protected static LogstashListener logstash;
    protected static LogshipApp app;

    @BeforeAll
    static void startLogshipWithLogstash() throws Exception {
        logstash = LogstashListener.tcp();
        app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()));
    }

    @AfterAll
    static void stopLogshipWithLogstash() throws Exception {
        app.close();
        logstash.close();
    }
}
