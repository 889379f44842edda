package io.logship.health;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logship.monitor.ForwarderStatistics;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.http.client.config.RequestConfig;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * {@code elasticsearch} (only with {@code ELASTICSEARCH_HOSTS}): {@code GET /_cluster/health} through the
 * very client camel-elasticsearch writes with, so its hosts, headers, API version, credentials and TLS trust
 * are what is checked (a refused credential shows as 401, an untrusted certificate as an SSL handshake failure).
 * Red is DOWN (some indices cannot take writes); yellow is UP, as on a single node. Readiness as for
 * every {@link SinkHealthCheck}.
 */
public class ElasticsearchHealthCheck extends SinkHealthCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    private final String hosts;
    private final String shownHosts;
    private final RequestOptions options;

    public ElasticsearchHealthCheck(RestClient client, String hosts, int timeoutMillis, boolean readiness) {
        super("elasticsearch", readiness);
        this.client = client;
        this.hosts = hosts;
        // Camel's health JSON escapes messages twice: every slash of a URL would show as a backslash pair
        this.shownHosts = hosts.replaceAll("[a-zA-Z][a-zA-Z0-9+.-]*://", "").replace("/", "");
        // a probe answers within the connect timeout, not the longer socket timeout meant for Bulk requests
        this.options = RequestOptions.DEFAULT.toBuilder().setRequestConfig(RequestConfig.custom()
                .setConnectTimeout(timeoutMillis).setSocketTimeout(timeoutMillis).build()).build();
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> ignored) {
        builder.detail("hosts", hosts);
        try {
            Request request = new Request("GET", "/_cluster/health");
            request.setOptions(options);
            Response response = client.performRequest(request);
            JsonNode health = JSON.readTree(response.getEntity().getContent());
            String status = health.path("status").asText("unknown");
            builder.detail("cluster_name", health.path("cluster_name").asText());
            builder.detail("cluster_status", status);
            if ("red".equals(status)) {
                builder.message("Elasticsearch cluster " + health.path("cluster_name").asText() + " is red").down();
            } else {
                builder.message("Elasticsearch cluster " + health.path("cluster_name").asText() + " is " + status).up();
            }
        } catch (ResponseException e) {
            builder.message("Elasticsearch " + shownHosts + " answered " + e.getResponse().getStatusLine().getStatusCode()
                    + " " + e.getResponse().getStatusLine().getReasonPhrase() + " to the cluster health request").down();
        } catch (Exception e) {
            builder.message("Elasticsearch " + shownHosts + " is not reachable: " + ForwarderStatistics.describe(e)).down();
        }
    }
}
