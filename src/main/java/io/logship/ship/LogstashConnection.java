package io.logship.ship;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Logstash hosts ({@code LOGSTASH_HOSTS}, or {@code LOGSTASH_HOST:LOGSTASH_PORT}) and whether they can be
 * reached. For TCP, a real connection is opened (and closed at once). UDP has no connection to check: the host
 * must resolve, and the ship route's outcome is the rest of the truth.
 *
 * <p>Each host has its own circuit breaker, which the ship routes go through ({@link LogstashHostRoutes}): it
 * opens after {@code LOGSTASH_CIRCUIT_FAILURES} failed attempts in a row, or at once when the host stops reading
 * ({@link StalledPeerGuard}); while it is open the host is skipped, and after {@code LOGSTASH_CIRCUIT_WAIT} seconds
 * one batch probes it (half open). Logstash is reachable when any host is reachable and not skipped.
 */
public class LogstashConnection {

    private static final Logger LOG = LoggerFactory.getLogger(LogstashConnection.class);

    private final List<Host> hosts;
    private final String protocol;
    private final String loadBalance;
    private final int timeoutMillis;
    private final boolean enabled;
    private volatile boolean connected;
    private volatile String lastError;
    private volatile Instant checkedAt;

    public LogstashConnection(List<String> hosts, String protocol, String loadBalance, int timeoutMillis, boolean enabled,
                              int circuitFailures, Duration circuitWait) {
        this.protocol = protocol.toLowerCase();
        this.loadBalance = loadBalance;
        this.timeoutMillis = timeoutMillis;
        this.enabled = enabled;
        // COUNT_BASED window of n calls, all failed: n failures in a row open it
        CircuitBreakerConfig circuit = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(circuitFailures)
                .minimumNumberOfCalls(circuitFailures)
                .failureRateThreshold(100)
                .waitDurationInOpenState(circuitWait)
                .permittedNumberOfCallsInHalfOpenState(1)
                .writableStackTraceEnabled(false)
                // a host that answers is not down: a refused batch is the batch's fault, and a host that asks
                // to be called back (429/503 with Retry-After) gets its wait through the redelivery policy
                .ignoreException(failure -> failure instanceof LogstashRefusedException
                        || failure instanceof LogstashBusyException busy && busy.retryAfterMillis() != null)
                .build();
        List<Host> list = new ArrayList<>();
        for (String address : hosts) {
            list.add(new Host(address, circuit));
        }
        this.hosts = List.copyOf(list);
    }

    /** One host, the defaults of a single Logstash (for tools and tests that need no more). */
    public LogstashConnection(String host, int port, String protocol, int timeoutMillis, boolean enabled) {
        this(List.of(host + ":" + port), protocol, "failover", timeoutMillis, enabled, 4, Duration.ofSeconds(30));
    }

    /**
     * {@code LOGSTASH_HOSTS} as {@code host:port} entries, or {@code host:port} alone when it is empty. A host
     * without a port gets {@code defaultPort}; an IPv6 address is written in brackets ({@code [::1]:5000}).
     */
    public static List<String> hosts(String hostsSetting, String host, int defaultPort) {
        List<String> hosts = new ArrayList<>();
        String setting = hostsSetting == null || hostsSetting.isBlank() ? host : hostsSetting;
        for (String entry : setting.split(",")) {
            String address = entry.trim();
            if (address.isEmpty()) {
                continue;
            }
            int colon = address.lastIndexOf(':');
            boolean hasPort = colon > 0 && (address.indexOf(':') == colon || address.charAt(colon - 1) == ']');
            if (!hasPort) {
                address = address + ":" + defaultPort;
            } else {
                try {
                    int port = Integer.parseInt(address.substring(colon + 1));
                    if (port < 1 || port > 65535) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("LOGSTASH_HOSTS: bad port in '" + entry.trim() + "' (host:port,host:port)");
                }
            }
            if (hosts.contains(address)) {
                throw new IllegalArgumentException("LOGSTASH_HOSTS lists " + address + " twice");
            }
            hosts.add(address);
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("LOGSTASH_HOSTS has no host (host:port,host:port)");
        }
        return hosts;
    }

    /** Checks every host; true when one can take batches. */
    public synchronized boolean check() {
        boolean wasConnected = connected;
        boolean first = checkedAt == null;
        boolean any = false;
        String firstError = null;
        for (Host host : hosts) {
            host.check();
            if (host.usable()) {
                any = true;
            } else if (firstError == null) {
                firstError = host.address + ": " + host.problem();
            }
        }
        connected = any;
        lastError = any ? null : firstError;
        checkedAt = Instant.now();
        // only changes are logged: the probe runs every LOGSTASH_CHECK_INTERVAL seconds
        if (connected && (first || !wasConnected)) {
            LOG.info("Logstash at {} ({}) is reachable", addresses(), protocol);
        } else if (!connected && (first || wasConnected)) {
            LOG.warn("Logstash at {} ({}) is not reachable: {}; batches go to the fallback path", addresses(), protocol, lastError);
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
        health.put("host", host());
        health.put("port", port());
        health.put("protocol", protocol);
        health.put("load_balance", loadBalance);
        health.put("last_error", lastError);
        health.put("checked_at", checkedAt == null ? null : checkedAt.toString());
        List<Map<String, Object>> each = new ArrayList<>();
        for (Host host : hosts) {
            each.add(host.view(enabled));
        }
        health.put("hosts", each);
        return health;
    }

    public List<Host> hosts() {
        return hosts;
    }

    /** The first host (the only one without LOGSTASH_HOSTS). */
    public String host() {
        return hosts.get(0).host;
    }

    public int port() {
        return hosts.get(0).port;
    }

    public String protocol() {
        return protocol;
    }

    public String loadBalance() {
        return loadBalance;
    }

    public int timeoutMillis() {
        return timeoutMillis;
    }

    public String addresses() {
        return String.join(",", hosts.stream().map(Host::address).toList());
    }

    /** One Logstash host: where it is, its circuit breaker and its last connection check. */
    public final class Host {

        private final String address;
        private final String host;
        private final int port;
        private final CircuitBreaker circuit;
        private volatile boolean reachable;
        private volatile boolean stalled;
        private volatile String lastError;
        private volatile Instant checkedAt;

        Host(String address, CircuitBreakerConfig config) {
            this.address = address;
            int colon = address.lastIndexOf(':');
            String name = address.substring(0, colon);
            this.host = name.startsWith("[") ? name.substring(1, name.length() - 1) : name;
            this.port = Integer.parseInt(address.substring(colon + 1));
            this.circuit = CircuitBreaker.of("logstash " + address, config);
            circuit.getEventPublisher().onStateTransition(event -> {
                switch (event.getStateTransition().getToState()) {
                    case OPEN -> LOG.warn("Logstash at {} is skipped for now (circuit open): batches go to the other hosts or the fallback path", address);
                    case HALF_OPEN -> LOG.info("Logstash at {}: probing with the next batch (circuit half open)", address);
                    case CLOSED -> {
                        stalled = false;
                        LOG.info("Logstash at {} takes batches again (circuit closed)", address);
                    }
                    default -> { }
                }
            });
            circuit.getEventPublisher().onError(event -> lastError = describe(event.getThrowable()));
        }

        /** It stopped reading ({@link StalledPeerGuard}): skipped at once, until a probe after the wait succeeds. */
        public void stalled() {
            stalled = true;
            circuit.transitionToOpenState();
        }

        /** A real connect for TCP (DNS is resolved each time); for UDP, that the name resolves. */
        void check() {
            try {
                if ("udp".equals(protocol)) {
                    InetAddress.getByName(host);
                } else {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
                    }
                }
                reachable = true;
                // refused before, answering now: let the next batch probe it rather than wait out LOGSTASH_CIRCUIT_WAIT;
                // a host that stalled accepts connections all along, so only the wait tells
                if (circuit.getState() == CircuitBreaker.State.OPEN && !stalled) {
                    circuit.transitionToHalfOpenState();
                }
            } catch (IOException e) {
                reachable = false;
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            checkedAt = Instant.now();
        }

        /** Reachable at the last check and not skipped by its circuit breaker. */
        public boolean usable() {
            return reachable && circuitAllows();
        }

        private boolean circuitAllows() {
            CircuitBreaker.State state = circuit.getState();
            return state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.FORCED_OPEN;
        }

        String problem() {
            return reachable ? "skipped (circuit " + circuit.getState().name().toLowerCase() + "): " + lastError : lastError;
        }

        /** {@code healthy}, {@code unreachable: <error>} or {@code skipped (circuit open): <error>}. */
        public String state() {
            if (usable()) {
                return "healthy";
            }
            return reachable ? "skipped (circuit " + circuit.getState().name().toLowerCase() + "): " + lastError
                    : "unreachable: " + lastError;
        }

        Map<String, Object> view(boolean enabled) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("address", address);
            view.put("host", host);
            view.put("port", port);
            view.put("status", !enabled ? "disabled" : usable() ? "healthy" : "unhealthy");
            view.put("reachable", reachable);
            view.put("circuit", circuit.getState().name().toLowerCase());
            view.put("last_error", lastError);
            view.put("checked_at", checkedAt == null ? null : checkedAt.toString());
            return view;
        }

        public String address() {
            return address;
        }

        public String host() {
            return host;
        }

        public int port() {
            return port;
        }

        public CircuitBreaker circuit() {
            return circuit;
        }

        private static String describe(Throwable error) {
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getClass().getSimpleName() + ": " + root.getMessage();
        }
    }
}
