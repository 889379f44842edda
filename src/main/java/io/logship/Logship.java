package io.logship;

import org.apache.camel.main.Main;

/** Starts logship: routes from {@code routes/*.yaml}, beans from {@link LogshipBeans}, settings from application.properties. */
public final class Logship {

    private Logship() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Logship.class);
        main.run(args);
    }
}
