package io.logship.ship;

import java.util.ArrayList;
import java.util.List;

import io.logship.event.EventBatch;
import io.logship.monitor.ForwarderStatistics;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.LoadBalanceDefinition;
import org.apache.camel.spi.Registry;

/**
 * {@code direct:logstash-hosts}: one attempt to hand a frame to Logstash, over Camel's load balancer EIP across
 * the hosts of {@code LOGSTASH_HOSTS}. {@code failover} keeps to the host that last worked and moves on when it
 * fails (sticky); {@code round_robin} spreads frames over every host and skips one that fails. Each host is a
 * route {@code logstash-host-N} behind that host's circuit breaker (camel-resilience4j), so a host known to be
 * down fails at once (CallNotPermittedException) instead of costing a connect or a timeout.
 *
 * <p>Built in Java because the number of branches is the number of hosts, which a YAML file cannot know. The
 * redelivery policy and the fallback path stay in the YAML routes that call it ({@code ship.camel.yaml}).
 *
 * <p>Found by Camel main's scan of the package; the hosts come from the bean {@code logstashConnection}.
 *
 * <p>The endpoint of one host, whatever the protocol, is made in {@link #endpoint}: the one place for its options.
 */
public class LogstashHostRoutes extends RouteBuilder {

    /** Bytes of the kernel's send buffer per TCP connection (Linux doubles it): enough for a LAN at full speed. */
    static final int TCP_SEND_BUFFER = 65536;

    private LogstashConnection logstash;

    @Override
    public void configure() {
        // failures go back to the load balancer (next host), then to the redelivery policy of the caller
        errorHandler(noErrorHandler());
        Registry registry = getCamelContext().getRegistry();
        logstash = registry.lookupByNameAndType("logstashConnection", LogstashConnection.class);
        ForwarderStatistics statistics = registry.lookupByNameAndType("forwarderStatistics", ForwarderStatistics.class);
        List<String> branches = new ArrayList<>();
        int index = 0;
        for (LogstashConnection.Host host : logstash.hosts()) {
            String route = "logstash-host-" + index;
            String circuit = "logstashCircuit" + index;
            registry.bind(circuit, host.circuit());
            registry.bind("logstashStallGuard" + index, StalledPeerGuard.factory(host.address(),
                    logstash.timeoutMillis(), host::stalled));
            var send = from("direct:" + route).routeId(route)
                    .circuitBreaker()
                        .resilience4jConfiguration().circuitBreaker(circuit).throwExceptionWhenHalfOpenOrOpenState(true).end();
            if ("http".equals(logstash.protocol())) {
                // one POST; the answer goes to a variable and logstashHttp turns a non-2xx into an exception:
                // 429 and 5xx are redelivered (after Retry-After), another 4xx goes to the fallback path at once
                send.bean("logstashHttp", "request")
                        .toV(endpoint(host, index), null, LogstashHttp.ANSWER)
                        .bean("logstashHttp", "response");
            } else {
                // the frame stays the body: Netty's (empty) answer goes to a variable
                send.toV(endpoint(host, index), null, "logstashReply");
            }
            send.end()
                    .process(exchange -> statistics.sentTo(host.address(), exchange.getMessage().getBody(EventBatch.class)));
            branches.add("direct:" + route);
            index++;
        }
        boolean roundRobin = "round_robin".equals(logstash.loadBalance());
        LoadBalanceDefinition balance = from("direct:logstash-hosts").routeId("logstash-hosts")
                // each host once per attempt; wrapping around the list (Camel's round robin flag), as with sticky alone
                // a failure of the last host would not fall back to the first
                .loadBalance().failover(branches.size() - 1, false, true, !roundRobin);
        for (String branch : branches) {
            balance.to(branch);
        }
        balance.end();
    }

    /**
     * One host's endpoint. TCP: a pooled connection, one write per batch, keep-alive and a stall timeout of
     * {@code LOGSTASH_TIMEOUT}; the send buffer is fixed (Linux would grow it to megabytes), so little sits in it,
     * written but unread, when a peer stops reading or dies.
     * UDP: datagrams of whole lines ({@link UdpDatagrams}). HTTP: camel-http's pool of keep-alive
 * connections, one POST per batch ({@link LogstashHttp}). TLS for tcp and http with LOGSTASH_SSL.
     */
    String endpoint(LogstashConnection.Host host, int index) {
        String address = host.host().contains(":") ? "[" + host.host() + "]" : host.host();
        String common = "sync=false&synchronous=true&connectTimeout=" + logstash.timeoutMillis();
        return switch (logstash.protocol()) {
            case "tcp" -> "netty:tcp://" + address + ":" + host.port() + "?" + common
                    + "&encoders=#logstashStallGuard" + index + ",#tcpEncoder&keepAlive=true&option.SO_SNDBUF=" + TCP_SEND_BUFFER
                    + "&ssl={{logstash.ssl}}&sslContextParameters=#logstashTls&clientInitializerFactory=#logstashTlsClient";
            case "udp" -> "netty:udp://" + address + ":" + host.port() + "?" + common + "&encoders=#udpEncoder";
            // camel-http turns to https when it is given TLS parameters: logstash.http.tls is set only with LOGSTASH_SSL
            case "http" -> "http://" + address + ":" + host.port() + "/?throwExceptionOnFailure=false"
                    + "&connectTimeout=" + logstash.timeoutMillis() + "&responseTimeout=" + logstash.timeoutMillis()
                    + "&connectionsPerRoute={{logstash.http.connections}}&maxTotalConnections={{logstash.http.connections}}"
                    + "&x509HostnameVerifier=#logstashHostnameVerifier&sslContextParameters={{?logstash.http.tls}}"
                    + "&lazyStartProducer=true";
            default -> throw new IllegalArgumentException("LOGSTASH_PROTOCOL must be tcp, udp or http, not " + logstash.protocol());
        };
    }
}
