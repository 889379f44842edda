package io.logship.fallback;

import java.net.URI;
import java.util.Arrays;

import org.apache.http.HttpHeaders;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequestInterceptor;
import org.elasticsearch.client.RestClient;

/**
 * The low-level client that camel-elasticsearch uses, for {@code ELASTICSEARCH_HOSTS}. Most clusters
 * in the field still run 8.x, which refuses the 9.x client's media type; asking for
 * {@code compatible-with=8} is understood by 8.x and 9.x servers alike, so that is the default
 * ({@code ELASTICSEARCH_API_VERSION=8}); 9 sends the client's own headers.
 */
public final class ElasticsearchClientFactory {

    private static final String COMPATIBLE_WITH_8 = "application/vnd.elasticsearch+json; compatible-with=8";

    private ElasticsearchClientFactory() {
    }

    public static RestClient create(String hosts, int apiVersion, int timeoutMillis, int socketTimeoutMillis) {
        HttpHost[] targets = Arrays.stream(hosts.split(","))
                .map(String::trim)
                .filter(h -> !h.isEmpty())
                .map(h -> URI.create(h.contains("://") ? h : "http://" + h))
                .map(u -> new HttpHost(u.getHost(), u.getPort() < 0 ? 9200 : u.getPort(), u.getScheme()))
                .toArray(HttpHost[]::new);
        return RestClient.builder(targets)
                .setRequestConfigCallback(config -> config.setConnectTimeout(timeoutMillis).setSocketTimeout(socketTimeoutMillis))
                .setHttpClientConfigCallback(http -> apiVersion >= 9 ? http : http.addInterceptorLast(
                        (HttpRequestInterceptor) (request, context) -> {
                            request.setHeader(HttpHeaders.ACCEPT, COMPATIBLE_WITH_8);
                            if (request.containsHeader(HttpHeaders.CONTENT_TYPE)) {
                                request.setHeader(HttpHeaders.CONTENT_TYPE, COMPATIBLE_WITH_8);
                            }
                        }))
                .build();
    }
}
