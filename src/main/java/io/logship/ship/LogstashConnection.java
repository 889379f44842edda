package io.logship.ship;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Can Logstash be reached? For TCP, a real connection is opened (and closed at once). UDP has no
 * connection to check: the host must resolve, and the ship route's outcome is the rest of the truth.
 */
public class LogstashConnection {

    private static final Logger LOG = LoggerFactory.getLogger(LogstashConnection.class);

    private final String host;
    private final int port;
    private final String protocol;
    private final int timeoutMillis;
    private final boolean enabled;
    private volatile boolean connected;
    private volatile String lastError;
    private volatile Instant checkedAt;

    public LogstashConnection(String host, int port, String protocol, int timeoutMillis, boolean enabled) {
        this.host = host;
        this.port = port;
        this.protocol = protocol.toLowerCase();
        this.timeoutMillis = timeoutMillis;
        this.enabled = enabled;
    }

    public synchronized boolean check() {
        boolean wasConnected = connected;
        boolean first = checkedAt == null;
        try {
            if ("udp".equals(protocol)) {
                InetAddress.getByName(host);
            } else {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(host, port), timeoutMillis);
                }
            }
            connected = true;
            lastError = null;
        } catch (IOException e) {
            connected = false;
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        checkedAt = Instant.now();
        // only changes are logged: the probe runs every LOGSTASH_CHECK_INTERVAL seconds
        if (connected && (first || !wasConnected)) {
            LOG.info("Logstash at {}:{} ({}) is reachable", host, port, protocol);
        } else if (!connected && (first || wasConnected)) {
            LOG.warn("Logstash at {}:{} ({}) is not reachable: {}; batches go to the fallback path after their redeliveries",
                    host, port, protocol, lastError);
        }
        return connected;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The outcome of the last {@link #check()}; false before the first. */
    public boolean connected() {
        return connected;
    }

    public String lastError() {
        return lastError;
    }

    public Instant checkedAt() {
        return checkedAt;
    }

    public Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        if (!enabled) {
            health.put("status", "disabled");
            health.put("connected", false);
        } else {
            boolean up = check();
            health.put("status", up ? "healthy" : "unhealthy");
            health.put("connected", up);
        }
        health.put("host", host);
        health.put("port", port);
        health.put("protocol", protocol);
        health.put("last_error", lastError);
        health.put("checked_at", checkedAt == null ? null : checkedAt.toString());
        return health;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String protocol() {
        return protocol;
    }
}
