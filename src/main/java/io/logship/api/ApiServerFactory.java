package io.logship.api;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.apache.camel.main.HttpServerConfigurationProperties;
import org.apache.camel.main.MainHttpServerFactory;

/**
 * Makes camel-main start {@link ApiServer} for {@code camel.server.*} (the management endpoints share it when
 * MANAGEMENT_PORT is the API's port). Multipart bodies are capped at MAX_UPLOAD_BYTES plus their envelope, and
 * Vert.x deletes their files from DATA_DIR/tmp once the request is answered.
 */
public class ApiServerFactory implements MainHttpServerFactory {

    /** room for a multipart body's boundaries and form fields around a file of MAX_UPLOAD_BYTES */
    public static final long MULTIPART_ENVELOPE_BYTES = 65536;

    @Override
    public Service newHttpServer(CamelContext camelContext, HttpServerConfigurationProperties properties) {
        long maxUploadBytes = Long.parseLong(camelContext.resolvePropertyPlaceholders("{{max.upload.bytes}}").trim());
        VertxPlatformHttpServerConfiguration http = new VertxPlatformHttpServerConfiguration();
        http.setBindHost(properties.getHost());
        http.setBindPort(properties.getPort());
        http.setPath(properties.getPath());
        http.setMaxBodySize(maxUploadBytes + MULTIPART_ENVELOPE_BYTES);
        http.getBodyHandler().setHandleFileUploads(properties.isFileUploadEnabled());
        http.getBodyHandler().setUploadsDirectory(properties.getFileUploadDirectory());
        http.getBodyHandler().setDeleteUploadedFilesOnEnd(true);
        return new ApiServer(http);
    }

    @Override
    public Service newHttpManagementServer(CamelContext camelContext, HttpManagementServerConfigurationProperties properties) {
        DefaultMainHttpServerFactory management = new DefaultMainHttpServerFactory();
        management.setCamelContext(camelContext);
        return management.newHttpManagementServer(camelContext, properties);
    }
}
