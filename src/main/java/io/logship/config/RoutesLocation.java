package io.logship.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{routes:routes.dir}}}: where the route files are loaded from. The built-in routes on the classpath
 * while {@code ROUTES_DIR} is empty; otherwise every {@code *.yaml} in that directory, instead of the built-in
 * ones (copy them there first: {@code java -jar logship.jar --copy-routes DIR}). A directory without route
 * files stops the start: logship without its routes would accept nothing and say nothing.
 */
public class RoutesLocation implements PropertiesFunction, CamelContextAware {

    public static final String BUILT_IN = "classpath:routes/*.yaml";

    private CamelContext context;

    @Override
    public String getName() {
        return "routes";
    }

    @Override
    public String apply(String property) {
        String dir = context.getPropertiesComponent().resolveProperty(property.trim()).orElse("").trim();
        return dir.isEmpty() ? BUILT_IN : "file:" + routeFilesIn(Path.of(dir)) + "/*.yaml";
    }

    static String routeFilesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("ROUTES_DIR " + dir + " is not a directory; create it with "
                    + "`java -jar logship.jar --copy-routes " + dir + "`, or leave ROUTES_DIR empty for the built-in routes");
        }
        try (Stream<Path> files = Files.list(dir)) {
            if (files.noneMatch(f -> f.getFileName().toString().endsWith(".yaml"))) {
                throw new IllegalArgumentException("ROUTES_DIR " + dir + " has no *.yaml route files; copy the built-in ones with "
                        + "`java -jar logship.jar --copy-routes " + dir + "`");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ROUTES_DIR " + dir, e);
        }
        return dir.toAbsolutePath().normalize().toString();
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }
}
