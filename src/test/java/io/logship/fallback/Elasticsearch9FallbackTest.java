package io.logship.fallback;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

class Elasticsearch9FallbackTest extends ElasticsearchFallbackContract {

    @BeforeAll
    static void startElasticsearch() {
        assumeTrue(Files.exists(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")) || System.getenv("LOGSHIP_ES_JAVA_HOME") != null,
                "Elasticsearch 9 needs Java 21+: /usr/lib/jvm/temurin-25-jdk-amd64 is absent and LOGSHIP_ES_JAVA_HOME is not set");
        start("9.2.4");
    }
}
