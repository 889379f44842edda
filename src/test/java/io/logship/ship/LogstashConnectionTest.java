package io.logship.ship;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LOGSTASH_HOSTS as an operator writes it. */
class LogstashConnectionTest {

    @Test
    void hostsOverrideHostAndPortAndTakeTheDefaultPortWhereNoneIsGiven() {
        assertEquals(List.of("logstash:5000"), LogstashConnection.hosts("", "logstash", 5000));
        assertEquals(List.of("ls1:5000", "ls2:6000"), LogstashConnection.hosts(" ls1 , ls2:6000 ", "ignored", 5000));
        assertEquals(List.of("[::1]:5000", "[fe80::1]:5044"), LogstashConnection.hosts("[::1],[fe80::1]:5044", "x", 5000));
    }

    @Test
    void eachHostHasItsAddressAndCircuit() {
        LogstashConnection logstash = new LogstashConnection(LogstashConnection.hosts("a:1,[::1]:2", "x", 5000), "tcp",
                "failover", 1000, true, 4, java.time.Duration.ofSeconds(30));
        assertEquals("a", logstash.hosts().get(0).host());
        assertEquals(1, logstash.hosts().get(0).port());
        assertEquals("::1", logstash.hosts().get(1).host());
        assertEquals(2, logstash.hosts().get(1).port());
        assertEquals("a:1,[::1]:2", logstash.addresses());
        assertTrue(logstash.hosts().get(0).circuit() != logstash.hosts().get(1).circuit(), "a circuit per host");
    }

    @Test
    void badListsAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogstashConnection.hosts("a:5000,a:5000", "x", 1))
                .getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogstashConnection.hosts("a:http", "x", 1))
                .getMessage().contains("bad port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogstashConnection.hosts("a:70000", "x", 1))
                .getMessage().contains("bad port"));
        assertThrows(IllegalArgumentException.class, () -> LogstashConnection.hosts(" , ", "x", 1));
    }
}
