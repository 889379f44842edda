package io.logship.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A TLS endpoint that takes only {@code Authorization: ApiKey <the key>} and passes what it takes on to a
 * secured {@link ElasticsearchServer} as its user {@code logship}. It stands in for Elasticsearch's API keys,
 * which the integ-test zip cannot hold (they live in the {@code .security} index, which needs a module that
 * distribution lacks). It presents the node's own certificate, so clients trust it with the node's CA.
 */
public final class ApiKeyProxy implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final ElasticsearchServer elasticsearch;
    private final HttpClient http;
    private final String expected;
    private final String forwarded;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    /** @param encodedKey the key as Elasticsearch encodes it: base64 of {@code id:api_key} */
    public ApiKeyProxy(ElasticsearchServer elasticsearch, String encodedKey) throws IOException, GeneralSecurityException {
        this.elasticsearch = elasticsearch;
        this.expected = "ApiKey " + encodedKey;
        this.forwarded = "Basic " + Base64.getEncoder().encodeToString(
                ("logship:" + elasticsearch.logshipPassword()).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().sslContext(elasticsearch.trustingCa()).connectTimeout(Duration.ofSeconds(5)).build();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls()));
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The {@code Authorization} header of every request, as it came. */
    public List<String> authorizations() {
        return authorizations;
    }

    private SSLContext serverTls() throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(elasticsearch.httpKeystore())) {
            keys.load(in, new char[0]);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!expected.equals(authorization)) {
                // as Elasticsearch answers a key it does not know
                answer(exchange, 401, "application/json", ("{\"error\":{\"type\":\"security_exception\",\"reason\":"
                        + "\"unable to authenticate with provided credentials\"},\"status\":401}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(elasticsearch.url() + exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", forwarded)
                    .method(exchange.getRequestMethod(), body.length == 0
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : List.of("Content-Type", "Accept")) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("X-Elastic-Product")
                    .ifPresent(product -> exchange.getResponseHeaders().add("X-Elastic-Product", product));
            answer(exchange, response.statusCode(), response.headers().firstValue("Content-Type").orElse("application/json"),
                    response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
