package io.logship.config;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.logship.testing.LogshipApp;
import io.logship.testing.LogstashListener;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ROUTES_RELOAD picks up every way of saving a route file, not only an edit in place: a Kubernetes ConfigMap
 * update (the {@code ..data} symlink swapped to a new directory), {@code sed -i} (a new file renamed over the old),
 * and editors that save by rename (a hidden temporary renamed over the file; or the file moved to a backup and
 * written anew). The routes directory is laid out as a ConfigMap volume is.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RouteFileSavesTest {

    private static final String JSON_HEADER = "            constant: application/json\n";

    @TempDir
    static Path routes;
    static LogstashListener logstash;
    static LogshipApp app;
    static RouteFileReload reloader;

    @BeforeAll
    static void start() throws Exception {
        Path first = routes.resolve("..2026_01_01_00_00_00.000000001");
        List<Path> files = DefaultRoutes.copyTo(first);
        Files.createSymbolicLink(routes.resolve("..data"), first.getFileName());
        for (Path file : files) {
            Files.createSymbolicLink(routes.resolve(file.getFileName()), Path.of("..data").resolve(file.getFileName()));
        }
        logstash = LogstashListener.tcp();
        app = LogshipApp.start("logstash.port", String.valueOf(logstash.port()), "routes.dir", routes.toString(),
                "routes.reload", "true");
        reloader = (RouteFileReload) app.context().hasService(RouteWatcherReloadStrategy.class);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        logstash.close();
    }

    @Test
    @Order(1)
    void aConfigMapUpdateBySymlinkSwapIsReloaded() throws Exception {
        assertEquals(null, edition());
        Path next = routes.resolve("..2026_01_01_00_01_00.000000002");
        Path previous = routes.resolve("..data").toRealPath();
        DefaultRoutes.copyTo(next);
        Path monitor = next.resolve("monitor.camel.yaml");
        Files.writeString(monitor, withEdition(Files.readString(monitor), "configmap"));
        // what the kubelet does: a new symlink, renamed over ..data, then the old directory removed
        Files.createSymbolicLink(routes.resolve("..data_tmp"), next.getFileName());
        Files.move(routes.resolve("..data_tmp"), routes.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        deleteTree(previous);

        LogshipApp.await(Duration.ofSeconds(30), () -> "configmap".equals(edition()));
        // logged, with the ids, right after the new routes started
        LogshipApp.await(Duration.ofSeconds(5), () -> List.of("logstash-probe", "monitor").equals(reloader.lastReplaced()));
    }

    @Test
    @Order(2)
    void sedInPlaceIsReloaded() throws Exception {
        Process sed = new ProcessBuilder("sed", "-i", "s/constant: \"configmap\"/constant: \"sed\"/",
                routes.resolve("monitor.camel.yaml").toString()).inheritIO().start();
        assertEquals(0, sed.waitFor());
        assertTrue(Files.readString(routes.resolve("monitor.camel.yaml")).contains("\"sed\""));

        LogshipApp.await(Duration.ofSeconds(30), () -> "sed".equals(edition()));
    }

    @Test
    @Order(3)
    void anEditorSavingByRenameIsReloaded() throws Exception {
        Path file = routes.resolve("monitor.camel.yaml");
        // gedit, VS Code: a hidden temporary file renamed over the file
        Path temporary = routes.resolve(".goutputstream-A1B2C3");
        Files.writeString(temporary, Files.readString(file).replace("\"sed\"", "\"rename\""));
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LogshipApp.await(Duration.ofSeconds(30), () -> "rename".equals(edition()));

        // vim: the file moved to a backup, then written anew
        String text = Files.readString(file);
        Files.move(file, routes.resolve("monitor.camel.yaml~"));
        Files.writeString(file, text.replace("\"rename\"", "\"backup\""));
        LogshipApp.await(Duration.ofSeconds(30), () -> "backup".equals(edition()));
    }

    private static String withEdition(String monitorRoutes, String edition) {
        assertTrue(monitorRoutes.contains(JSON_HEADER));
        return monitorRoutes.replace(JSON_HEADER, JSON_HEADER
                + "        - setHeader:\n            name: X-Routes-Edition\n            constant: \"" + edition + "\"\n");
    }

    private static String edition() {
        try {
            HttpResponse<String> response = app.get("/api/v1/logs/logstash/monitor/", app.token("ops", "admin"));
            return response.headers().firstValue("X-Routes-Edition").orElse(null);
        } catch (Exception e) {
            return null;
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
