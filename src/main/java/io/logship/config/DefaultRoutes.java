package io.logship.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code java -jar logship.jar --copy-routes DIR}: writes the built-in route files into DIR, the starting
 * point for {@code ROUTES_DIR}. Files already there are kept: they may hold an operator's edits.
 */
public final class DefaultRoutes {

    private DefaultRoutes() {
    }

    /** @return the files written */
    public static List<Path> copyTo(Path dir) throws IOException, URISyntaxException {
        Files.createDirectories(dir);
        URI routes = DefaultRoutes.class.getResource("/routes").toURI();
        // inside the jar the routes are in a zip file system; in a build (target/classes), on disk
        try (FileSystem jar = routes.getScheme().equals("jar") ? FileSystems.newFileSystem(routes, Map.of()) : null;
             Stream<Path> files = Files.list(jar != null ? jar.provider().getPath(routes) : Path.of(routes))) {
            List<Path> written = new ArrayList<>();
            for (Path route : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                Path target = dir.resolve(route.getFileName().toString());
                if (Files.exists(target)) {
                    System.out.println("kept     " + target + " (exists)");
                    continue;
                }
                Files.copy(route, target);
                written.add(target);
                System.out.println("written  " + target);
            }
            return written;
        }
    }
}
