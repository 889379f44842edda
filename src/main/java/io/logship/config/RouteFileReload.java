package io.logship.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.camel.spi.Resource;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ROUTES_RELOAD=true}: a route file saved in {@code ROUTES_DIR} replaces the routes it defines, and
 * only those (the others keep running). Camel stops them gracefully (in-flight exchanges finish; callers of
 * a {@code direct:} route wait for it to be back) and starts the new ones.
 *
 * <p>A file that does not parse changes nothing. One that parses but cannot start (an unknown bean method,
 * a bad endpoint option) would leave its routes removed; the version last applied is then put back, so a
 * typo never takes the upload API down. Fix the file and save it again.
 */
public class RouteFileReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileReload.class);

    private final Path dir;
    private final Map<Path, String> applied = new ConcurrentHashMap<>();

    public RouteFileReload(Path dir) {
        super(dir.toAbsolutePath().normalize().toString(), false);
        this.dir = dir.toAbsolutePath().normalize();
        setPattern("*.yaml");
        setRemoveAllRoutes(false);
    }

    @Override
    protected void doStart() throws Exception {
        // the files as they are now are what the routes were loaded from
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".yaml"))::iterator) {
                applied.put(file, Files.readString(file));
            }
        }
        super.doStart();
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        try {
            super.onRouteReload(resources, removeEverything);
        } catch (RuntimeException e) {
            restore(resources, e);
            throw e;
        }
        for (Resource resource : resources == null ? List.<Resource> of() : resources) {
            // a deleted file removes no routes (Camel cannot tell which were its): they keep running
            if (resource.exists()) {
                applied.put(path(resource), read(resource));
            }
        }
    }

    private void restore(Collection<Resource> resources, RuntimeException cause) {
        for (Resource resource : resources == null ? List.<Resource> of() : resources) {
            String previous = applied.get(path(resource));
            if (previous == null) {
                continue;
            }
            LOG.error("Route file {} was not applied: {}. Its previous routes run again; fix the file and save it again.",
                    path(resource), rootMessage(cause));
            try {
                super.onRouteReload(List.of(ResourceHelper.fromString(resource.getLocation(), previous)), false);
            } catch (RuntimeException again) {
                LOG.error("The previous routes of {} could not be restored either: {}", path(resource), again.getMessage());
            }
        }
    }

    /** The YAML parser's line and column, or the missing bean method: what the operator has to fix. */
    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage()).replaceAll("\\s+", " ").trim();
    }

    private static Path path(Resource resource) {
        return Paths.get(resource.getURI()).toAbsolutePath().normalize();
    }

    private static String read(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
