package dev.cnnworkbench.web.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/openapi.json}: the REST API described in OpenAPI 3, a hand-written classpath resource
 * ({@value #RESOURCE}) bundled with the server. A test checks that it documents every route the server registers.
 */
public final class OpenApi {

    public static final String PATH = "/api/openapi.json";
    public static final String RESOURCE = "dev/cnnworkbench/web/openapi.json";

    private OpenApi() {
    }

    public static void mount(Router router) {
        Buffer document = read();
        router.get(PATH).handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .end(document));
    }

    public static Buffer read() {
        try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the class path");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
