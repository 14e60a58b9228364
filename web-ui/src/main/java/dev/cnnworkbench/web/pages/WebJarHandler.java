package dev.cnnworkbench.web.pages;

import dev.cnnworkbench.web.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves front-end libraries packaged as WebJars ({@code META-INF/resources/webjars/NAME/VERSION/...}
 * on the classpath) under {@code /webjars/NAME/PATH}, the version taken from the WebJar's own
 * {@code pom.properties}, so pages never name a version and an upgrade is a pom change only. A
 * versioned path ({@code /webjars/NAME/VERSION/PATH}) works too.
 *
 * <p>Only scripts, style sheets and source maps are served; every path segment must start with a
 * letter, digit or underscore, so neither {@code ..} nor hidden files can be named. Files are read
 * once from the jar on a worker thread and kept in memory (libraries are a few hundred KiB).
 */
public final class WebJarHandler implements Handler<RoutingContext> {

    public static final String PREFIX = "/webjars/";
    private static final String ROOT = "META-INF/resources/webjars/";
    private static final List<String> GROUPS = List.of("org.webjars.npm", "org.webjars", "org.webjars.bower");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,127}");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "map", "application/json; charset=utf-8");

    private record Asset(Buffer bytes, String type) {
    }

    private final WorkerExecutor blocking;
    private final ClassLoader loader = WebJarHandler.class.getClassLoader();
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();
    private final Map<String, Optional<String>> versions = new ConcurrentHashMap<>();

    public WebJarHandler(WorkerExecutor blocking) {
        this.blocking = blocking;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String rest = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        String[] segments = rest.split("/", -1);
        String type = TYPES.get(extension(rest));
        if (segments.length < 2 || type == null || !allValid(segments)) {
            ctx.fail(new ApiException(404, "no such file"));
            return;
        }
        Optional<Asset> cached = cache.get(rest);
        if (cached != null) {
            send(ctx, cached);
            return;
        }
        blocking.executeBlocking(() -> {
                    // only hits are cached: misses would let anyone grow the cache without bound
                    Optional<Asset> asset = load(segments, type);
                    asset.ifPresent(a -> cache.put(rest, asset));
                    return asset;
                }, false)
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        send(ctx, ar.result());
                    } else {
                        ctx.fail(ar.cause());
                    }
                });
    }

    private static void send(RoutingContext ctx, Optional<Asset> asset) {
        if (asset.isEmpty()) {
            ctx.fail(new ApiException(404, "no such file"));
            return;
        }
        ctx.response()
                .putHeader("Content-Type", asset.get().type())
                .putHeader("Cache-Control", "public, max-age=3600")
                .end(asset.get().bytes());
    }

    private Optional<Asset> load(String[] segments, String type) {
        String name = segments[0];
        String tail = String.join("/", List.of(segments).subList(1, segments.length));
        Optional<String> version = versions.computeIfAbsent(name, this::version);
        if (version.isPresent() && !tail.startsWith(version.get() + "/")) {
            tail = version.get() + "/" + tail;
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + name + "/" + tail)) {
            return in == null ? Optional.empty() : Optional.of(new Asset(Buffer.buffer(in.readAllBytes()), type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<String> version(String name) {
        for (String group : GROUPS) {
            try (InputStream in = loader.getResourceAsStream("META-INF/maven/" + group + "/" + name + "/pom.properties")) {
                if (in != null) {
                    Properties props = new Properties();
                    props.load(in);
                    return Optional.ofNullable(props.getProperty("version"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.empty();
    }

    private static boolean allValid(String[] segments) {
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) {
                return false;
            }
        }
        return true;
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 || dot < path.lastIndexOf('/') ? "" : path.substring(dot + 1);
    }
}
