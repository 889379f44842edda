package io.logship.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

// Both majors logship must write to: 9.x is what the client targets, 8.x is what many ELK stacks still run.
@Tag("elasticsearch")
class ElasticsearchServerTest {

    @ParameterizedTest
    @ValueSource(strings = {"9.2.4", "8.19.21"})
    void runsARealNodeAndStopsIt(String version) {
        int port;
        try (ElasticsearchServer es = ElasticsearchServer.start(version)) {
            port = es.port();
            assertEquals(version, es.get("/_cat/nodes?h=version").trim());

            es.put("/t/_doc/1?refresh=true", "{\"message\":\"hello\"}");

            assertEquals(1, es.count("t"));
            assertEquals(0, es.count("no-such-index"));
        }
        assertFalse(isOpen(port), "port " + port + " still open after stop");
    }

    private static boolean isOpen(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
