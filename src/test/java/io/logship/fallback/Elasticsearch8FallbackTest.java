package io.logship.fallback;

import org.junit.jupiter.api.BeforeAll;

/** 8.19 runs on Java 17, so this also covers a machine without a newer JDK. */
class Elasticsearch8FallbackTest extends ElasticsearchFallbackContract {

    @BeforeAll
    static void startElasticsearch() {
        start("8.19.21");
    }
}
