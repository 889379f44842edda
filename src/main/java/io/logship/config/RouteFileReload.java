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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.Route;
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
 * <p>The files are compared with what was last seen every second, by content, rather than watched for events:
 * an edit in place, {@code sed -i} (a new file renamed over the old one), an editor that saves by rename, and a
 * Kubernetes ConfigMap update (the {@code ..data} symlink swapped to a new directory, which changes no event on
 * the {@code *.yaml} names) all change what the file reads as. Each reload is logged with the route ids it replaced.
 *
 * <p>A file that does not parse changes nothing. One that parses but cannot start (an unknown bean method,
 * a bad endpoint option) would leave its routes removed; the version last applied is then put back, so a
 * typo never takes the upload API down. Fix the file and save it again.
 */
public class RouteFileReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileReload.class);
    private static final long POLL_MILLIS = 1000;

    private final Path dir;
    /** What each file held when its routes were last applied: put back when a new version cannot start. */
    private final Map<Path, String> applied = new ConcurrentHashMap<>();
    /** What each file held when it was last looked at, applied or refused: a refused file is not tried again until saved again. */
    private final Map<Path, String> seen = new ConcurrentHashMap<>();
    private volatile List<String> lastReplaced = List.of();
    private ScheduledExecutorService poller;

    public RouteFileReload(Path dir) {
        super(dir.toAbsolutePath().normalize().toString(), false);
        this.dir = dir.toAbsolutePath().normalize();
        setPattern("*.yaml");
        setRemoveAllRoutes(false);
        // Camel's WatchService task sees no event for a ConfigMap's symlink swap; the poller below sees every save
        setScheduler(false);
    }

    @Override
    protected void doStart() throws Exception {
        // the files as they are now are what the routes were loaded from
        for (Path file : routeFiles()) {
            String content = Files.readString(file);
            applied.put(file, content);
            seen.put(file, content);
        }
        super.doStart();
        poller = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "RouteFileReload");
        poller.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("Watching route files in {} (checked every second)", dir);
    }

    @Override
    protected void doStop() throws Exception {
        if (poller != null) {
            getCamelContext().getExecutorServiceManager().shutdown(poller);
            poller = null;
        }
        super.doStop();
    }

    /** Route files: {@code *.yaml} in ROUTES_DIR, not hidden (editor locks, a ConfigMap's {@code ..data}). */
    private List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".yaml") && !name.startsWith(".") && Files.isRegularFile(f);
            }).sorted().toList();
        }
    }

    private void poll() {
        try {
            for (Path file : routeFiles()) {
                String content;
                try {
                    content = Files.readString(file);
                } catch (IOException e) {
                    continue;     // replaced between the listing and the read: the next poll sees it
                }
                if (!content.equals(seen.put(file, content))) {
                    reload(file, content);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not check the route files in {}: {}", dir, e.getMessage());
        }
    }

    /**
     * Loads the content this poll read, not the file again: the file may be saved anew meanwhile, and the version
     * remembered as applied (put back after a failed edit) must be the one that was loaded.
     */
    private void reload(Path file, String content) {
        String name = file.toString();
        try {
            setLastError(null);
            getResourceReload().onReload(name, ResourceHelper.fromString("file:" + name, content));
            incSucceededCounter();
        } catch (Exception e) {
            setLastError(e);
            incFailedCounter();
            LOG.warn("Error reloading routes from file: {} due to: {}. This exception is ignored.", name, e.getMessage());
        }
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
                Path path = path(resource);
                applied.put(path, read(resource));
                lastReplaced = routesOf(path);
                LOG.info("Route file {} reloaded: routes {} replaced", path, String.join(", ", lastReplaced));
            }
        }
    }

    /** The ids of the routes the last reload replaced. */
    public List<String> lastReplaced() {
        return lastReplaced;
    }

    private List<String> routesOf(Path file) {
        return getCamelContext().getRoutes().stream()
                .filter(route -> route.getSourceResource() != null && isFile(route.getSourceResource(), file))
                .map(Route::getRouteId).sorted().toList();
    }

    private static boolean isFile(Resource resource, Path file) {
        try {
            return path(resource).equals(file);
        } catch (RuntimeException e) {
            return false;
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
