package io.logship.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.FileUtil;

/**
 * {@code java -jar logship.jar --copy-routes DIR}: writes the built-in route files into DIR, the starting
 * point for {@code ROUTES_DIR}. Files already there are kept: they may hold an operator's edits.
 */
public final class DefaultRoutes {

    private DefaultRoutes() {
    }

    /** @return the files written */
    public static List<Path> copyTo(Path dir) throws Exception {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        // Camel's own resolver lists classpath:routes/*.yaml from the jar and from target/classes alike
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            for (Resource route : PluginHelper.getPackageScanResourceResolver(context).findResources(RoutesLocation.BUILT_IN)) {
                Path target = dir.resolve(FileUtil.stripPath(route.getLocation()));
                if (Files.exists(target)) {
                    System.out.println("kept     " + target + " (exists)");
                    continue;
                }
                try (InputStream in = route.getInputStream()) {
                    Files.copy(in, target);
                }
                written.add(target);
                System.out.println("written  " + target);
            }
        }
        return written;
    }
}
