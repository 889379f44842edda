package io.logship;

import java.nio.file.Path;

import io.logship.api.ApiServerFactory;
import io.logship.config.DefaultRoutes;
import org.apache.camel.main.Main;

/**
 * Starts logship: routes from {@code routes/*.yaml} (or {@code ROUTES_DIR}), beans from {@link LogshipBeans},
 * settings from application.properties. {@code --copy-routes DIR} writes the built-in routes to DIR and exits.
 */
public final class Logship {

    private Logship() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--copy-routes")) {
            DefaultRoutes.copyTo(Path.of(args[1]));
            return;
        }
        newMain().run(args);
    }

    /** camel-main with logship's beans, routes and HTTP server ({@link ApiServerFactory}: limits Camel's server lacks). */
    public static Main newMain() {
        Main main = new Main(Logship.class);
        main.bind("apiServerFactory", new ApiServerFactory());
        return main;
    }
}
