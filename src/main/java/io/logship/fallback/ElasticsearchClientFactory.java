package io.logship.fallback;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import javax.net.ssl.SSLContext;

import org.apache.http.Header;
import org.apache.http.HttpHeaders;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The low-level client that camel-elasticsearch uses, for {@code ELASTICSEARCH_HOSTS}. Most clusters
 * in the field still run 8.x, which refuses the 9.x client's media type; asking for
 * {@code compatible-with=8} is understood by 8.x and 9.x servers alike, so that is the default
 * ({@code ELASTICSEARCH_API_VERSION=8}); 9 sends the client's own headers. Credentials go with every
 * request (Basic or ApiKey), not after a 401 challenge: a Bulk body is not sent twice.
 */
public final class ElasticsearchClientFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchClientFactory.class);
    private static final String COMPATIBLE_WITH_8 = "application/vnd.elasticsearch+json; compatible-with=8";

    private ElasticsearchClientFactory() {
    }

    /**
     * @param authorization the {@code Authorization} header value, or {@code null}
     * @param ssl the trust for {@code https://} hosts, or {@code null} for the JVM's default
     */
    public static RestClient create(String hosts, int apiVersion, int connectTimeoutMillis, int socketTimeoutMillis,
                                    String authorization, SSLContext ssl) {
        HttpHost[] targets = Arrays.stream(hosts.split(","))
                .map(String::trim)
                .filter(h -> !h.isEmpty())
                .map(h -> URI.create(h.contains("://") ? h : "http://" + h))
                .map(u -> new HttpHost(u.getHost(), u.getPort() < 0 ? 9200 : u.getPort(), u.getScheme()))
                .toArray(HttpHost[]::new);
        if (authorization != null && Arrays.stream(targets).anyMatch(h -> !"https".equals(h.getSchemeName()))) {
            LOG.warn("Elasticsearch credentials are sent in clear text to an http:// host of {}; use https://", hosts);
        }
        RestClientBuilder builder = RestClient.builder(targets)
                .setRequestConfigCallback(config -> config.setConnectTimeout(connectTimeoutMillis).setSocketTimeout(socketTimeoutMillis))
                .setHttpClientConfigCallback(http -> {
                    if (ssl != null) {
                        http.setSSLContext(ssl);
                    }
                    return apiVersion >= 9 ? http : http.addInterceptorLast(
                            (HttpRequestInterceptor) (request, context) -> {
                                request.setHeader(HttpHeaders.ACCEPT, COMPATIBLE_WITH_8);
                                if (request.containsHeader(HttpHeaders.CONTENT_TYPE)) {
                                    request.setHeader(HttpHeaders.CONTENT_TYPE, COMPATIBLE_WITH_8);
                                }
                            });
                });
        if (authorization != null) {
            builder.setDefaultHeaders(new Header[] {new BasicHeader(HttpHeaders.AUTHORIZATION, authorization)});
        }
        return builder.build();
    }

    /**
     * The {@code Authorization} header for {@code ELASTICSEARCH_USERNAME}/{@code ELASTICSEARCH_PASSWORD} or
     * {@code ELASTICSEARCH_API_KEY}, {@code null} without credentials. The API key is taken as Elasticsearch's
     * create-API-key answer gives it: {@code encoded}, or {@code id:api_key} (as Logstash and Beats take it).
     */
    public static String authorization(String username, String password, String apiKey) {
        boolean user = username != null && !username.isBlank();
        boolean secret = password != null && !password.isEmpty();
        boolean key = apiKey != null && !apiKey.isBlank();
        if (key && (user || secret)) {
            throw new IllegalArgumentException("set ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/ELASTICSEARCH_PASSWORD, not both");
        }
        if (user != secret) {
            throw new IllegalArgumentException("ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD go together");
        }
        if (key) {
            String trimmed = apiKey.trim();
            return "ApiKey " + (trimmed.contains(":") ? base64(trimmed) : trimmed);
        }
        return user ? "Basic " + base64(username + ":" + password) : null;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
