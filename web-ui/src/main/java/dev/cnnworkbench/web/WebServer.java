package dev.cnnworkbench.web;

import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.storage.RunChanges;
import dev.cnnworkbench.storage.UserAccounts;
import dev.cnnworkbench.web.api.ApiJson;
import dev.cnnworkbench.web.api.ArtifactApi;
import dev.cnnworkbench.web.api.ConsoleLogApi;
import dev.cnnworkbench.web.api.EnsembleApi;
import dev.cnnworkbench.web.api.LiveStream;
import dev.cnnworkbench.web.api.OpenApi;
import dev.cnnworkbench.web.api.PluginApi;
import dev.cnnworkbench.web.api.RunApi;
import dev.cnnworkbench.web.api.RunChangeApi;
import dev.cnnworkbench.web.api.RunEditApi;
import dev.cnnworkbench.web.api.RunStartApi;
import dev.cnnworkbench.web.api.SweepApi;
import dev.cnnworkbench.web.auth.AccessControl;
import dev.cnnworkbench.web.auth.Caller;
import dev.cnnworkbench.web.auth.LoginApi;
import dev.cnnworkbench.web.auth.LoginThrottle;
import dev.cnnworkbench.web.auth.RunPermissions;
import dev.cnnworkbench.web.auth.Sessions;
import dev.cnnworkbench.web.mlflow.MlflowApi;
import dev.cnnworkbench.web.mlflow.MlflowCaller;
import dev.cnnworkbench.web.pages.WebJarHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP server: the REST API under {@code /api/}, the live stream at
 * {@code /api/stream}, the pages from the bundled web root and front-end libraries under
 * {@code /webjars/}. Deploy it as a standard (event-loop) verticle on a {@link io.vertx.core.Vertx}
 * whose bus codecs are registered ({@code BusCodecs.register}); store queries run on a worker pool
 * of its own. {@link #start()} fails when the address cannot be bound.
 *
 * <p>Artifacts: {@code GET /api/artifacts/ID} sends an artifact's file, from the store's artifacts folder only (see
 * {@link ArtifactApi}); a run's artifacts are listed with the run at {@code /api/runs/ID}.
 *
 * <p>Runs of other processes: given an ingest token, the server accepts at {@code POST /api/ingest} what a
 * {@code workbench run} of another process publishes, authenticated by that token, and publishes it on its own
 * bus (see {@link IngestHandler}); without a token that route answers 404.
 *
 * <p>Who may see and change what: {@link AccessControl} decides before any route runs (team mode with
 * {@link #withTeamMode}); owners and admins rename and delete runs ({@link RunChangeApi}, {@link RunPermissions});
 * {@code POST /api/runs} starts a run from a spec with a {@link RunLauncher} ({@link RunStartApi}).
 *
 * <p>Hardening: a request must name this server in its {@code Host} header (see {@link AccessControl#mountHostCheck});
 * with {@link #withSecurity} TLS (PEM certificate and key), whose session cookies are {@code Secure}; request bodies are limited to {@link #BODY_LIMIT} bytes (the ingest route to
 * {@link IngestHandler#BODY_LIMIT}); static files come only from
 * the classpath folder {@link #WEB_ROOT}, never hidden files nor directory listings; every error is
 * JSON ({@code {"error": ..., "path": ...}}) without a stack trace, which only the log gets.
 */
public final class WebServer extends VerticleBase {

    /** The bundled pages, a classpath folder (a package-like name no working directory is likely to hold). */
    static final String WEB_ROOT = "dev/cnnworkbench/web/webroot";
    static final long BODY_LIMIT = 64 * 1024;
    private static final int STORE_THREADS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final RunStore store;
    private final String host;
    private final int port;
    private final String ingestToken;
    private final String hostName;
    private WorkerExecutor blocking;
    private LiveStream live;
    private IngestHandler ingest;
    private MlflowApi mlflow;
    private HttpServer server;
    private Router router;

    /** A server on {@code host:port}; port 0 picks a free port ({@link #port()} tells which). */
    public WebServer(RunStore store, String host, int port) {
        this(store, host, port, null);
    }

    /**
     * A server on {@code host:port} that also accepts runs of other processes at {@code POST /api/ingest} from
     * clients sending {@code ingestToken} (a secret; {@code null} disables the route).
     */
    public WebServer(RunStore store, String host, int port, String ingestToken) {
        if (ingestToken != null && ingestToken.length() < 16) {
            throw new IllegalArgumentException("an ingest token needs at least 16 characters");
        }
        this.store = store;
        this.host = host;
        this.port = port;
        this.ingestToken = ingestToken;
        this.hostName = ingestToken == null ? "" : Host.name();
    }

    @Override
    public Future<?> start() {
        blocking = vertx.createSharedWorkerExecutor("workbench-web-store", STORE_THREADS);
        live = new LiveStream(vertx);
        live.start();
        ingest = new IngestHandler(vertx, ingestToken, hostName);
        router = router();
        HttpServerOptions options = new HttpServerOptions().setCompressionSupported(true);
        if (security.tls()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(security.tlsCert().toString())
                    .setKeyPath(security.tlsKey().toString()));
        }
        return vertx.createHttpServer(options)
                .requestHandler(router)
                .listen(port, host)
                .recover(e -> Future.failedFuture(new IllegalStateException(
                        "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e)))
                .onSuccess(s -> server = s);
    }

    @Override
    public Future<?> stop() {
        if (live != null) {
            live.stop();
        }
        if (ingest != null) {
            ingest.stop();
        }
        if (mlflow != null) {
            mlflow.stop();
        }
        if (blocking != null) {
            blocking.close();
        }
        return Future.succeededFuture();
    }

    /** The port actually bound; valid once started. */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("the web server is not started");
        }
        return server.actualPort();
    }

    /** The address to open in a browser; valid once started. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (security.tls() ? "https://" : "http://") + ("0.0.0.0".equals(host) || "::".equals(host) ? "localhost" : h) + ":" + port() + "/";
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.route().handler(WebServer::securityHeaders);
        AccessControl.mountHostCheck(router, host, security.allowedHosts());
        ingest.mount(router);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        mountAccess(router);
        mlflow = new MlflowApi(vertx, store, blocking, ctx -> new MlflowCaller(Caller.of(ctx).name(), Caller.of(ctx).admin()));
        mlflow.mount(router);
        mlflow.start();
        new RunApi(store, blocking).mount(router);
        new ArtifactApi(store, blocking).mount(router);
        new ConsoleLogApi(store, blocking).mount(router);
        mountRunControl(router);
        mountDashboardApis(router);
        router.get("/api/stream").handler(live::handle);
        router.get("/api/*").handler(ctx -> ctx.fail(new ApiException(404, "no such API endpoint")));
        router.get(WebJarHandler.PREFIX + "*").handler(new WebJarHandler(blocking));
        router.route().handler(WebServer::refuseHidden);
        router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(StaticHandler.create(WEB_ROOT)
                .setIncludeHidden(false)
                .setDirectoryListing(false)
                .setIndexPage("index.html")
                .setMaxAgeSeconds(60));
        router.route().failureHandler(this::failure);
        router.errorHandler(404, WebServer::notFound);
        router.errorHandler(405, ctx -> error(ctx, 405, "method not allowed here", null));
        router.errorHandler(500, this::failure);
        return router;
    }

    // ---- Who may see and change what (team mode), changing runs, starting runs. ----

    private WebSecurity security = WebSecurity.DEFAULT;

    /** The host names this server answers to besides its own, and HTTPS; call before deploying. */
    public WebServer withSecurity(WebSecurity webSecurity) {
        this.security = java.util.Objects.requireNonNull(webSecurity);
        return this;
    }

    private UserAccounts accounts;
    private RunChanges changes;
    private RunLauncher launcher;

    /**
     * Team mode: every request but the ingest route's must come from a logged-in browser or carry a personal API
     * token of one of these accounts (see {@link AccessControl}); without it every request is this process's user, an
     * admin. Call before deploying.
     */
    public WebServer withTeamMode(UserAccounts userAccounts) {
        this.accounts = userAccounts;
        return this;
    }

    /** Lets owners and admins rename and delete runs ({@link RunChangeApi}); call before deploying. */
    public WebServer withRunChanges(RunChanges runChanges) {
        this.changes = runChanges;
        return this;
    }

    /** Lets callers start runs and sweeps from a spec ({@link RunStartApi}); call before deploying. */
    public WebServer withLauncher(RunLauncher runLauncher) {
        this.launcher = runLauncher;
        return this;
    }

    /** In front of every route but the ingest route: who the caller is, the login API, the rule for changing runs. */
    private void mountAccess(Router router) {
        Sessions sessions = accounts == null ? null : new Sessions(accounts.sessions());
        AccessControl access = accounts == null ? AccessControl.single(Host.user())
                : AccessControl.team(accounts, sessions, blocking);
        access.mount(router);
        new LoginApi(access, accounts, sessions, new LoginThrottle(), blocking).mount(router);
        new RunPermissions(changes, blocking).mount(router);
    }

    private void mountRunControl(Router router) {
        new RunChangeApi(store, changes, blocking).mount(router);
        new RunStartApi(vertx, launcher, blocking).mount(router);
    }

    // ---- end of team mode, changing and starting runs ----
    // ---- The dashboard pages' APIs: run edits, sweeps, ensembles, plugins, the OpenAPI document. ----

    private PluginRegistry plugins;
    private io.vertx.core.eventbus.EventBus workBus;

    /**
     * The bus of the hub's work queue, which {@code GET /api/workers} asks (the hub's cluster bus, when this server's
     * own is its local one); by default this server's own. Call before deploying.
     */
    public WebServer withWorkBus(io.vertx.core.eventbus.EventBus bus) {
        this.workBus = bus;
        return this;
    }

    /** The plugins {@code GET /api/plugins} lists (those this server's runs would use); call before deploying. */
    public WebServer withPlugins(PluginRegistry registry) {
        this.plugins = registry;
        return this;
    }

    private void mountDashboardApis(Router router) {
        new RunEditApi(store, blocking).mount(router);
        new SweepApi(store, blocking).mount(router);
        new EnsembleApi(store, blocking).mount(router);
        new PluginApi(plugins).mount(router);
        new WorkerApi(workBus != null ? workBus : vertx.eventBus()).mount(router);
        OpenApi.mount(router);
    }

    /** The routes registered, for the test that checks the OpenAPI document; valid once started. */
    List<Route> routes() {
        return router.getRoutes();
    }

    // ---- end of the dashboard pages' APIs ----

    /**
     * Defence in depth before the static files, not relying on StaticHandler's own checks alone: a
     * dot-named file or folder anywhere on the path is refused, and so is any character still
     * percent-encoded after normalisation (a bundled file name never needs one; {@code %5c},
     * {@code %2f}, {@code %00} and double encodings are how traversals hide).
     */
    private static void refuseHidden(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.contains("/.") || path.contains("\\") || path.contains("%")) {
            ctx.fail(new ApiException(404, "no such page or endpoint"));
        } else {
            ctx.next();
        }
    }

    private static void securityHeaders(RoutingContext ctx) {
        ctx.response()
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Content-Security-Policy", CSP);
        ctx.next();
    }

    private void failure(RoutingContext ctx) {
        Throwable e = ctx.failure();
        if (e instanceof ApiException api) {
            error(ctx, api.status(), api.getMessage(), api.path());
            return;
        }
        int status = ctx.statusCode();
        if (status == 413) {
            long limit = IngestHandler.PATH.equals(ctx.request().path()) ? IngestHandler.BODY_LIMIT : BODY_LIMIT;
            error(ctx, 413, "request body larger than " + limit + " bytes", null);
        } else if (status == 404) {
            notFound(ctx);
        } else if (status >= 400 && status < 500) {
            error(ctx, status, "bad request", null);
        } else {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), e);
            error(ctx, status >= 500 ? status : 500, "internal error; the server log has the details", null);
        }
    }

    /** The page a browser shows for an unknown address (webroot's 404.html, read once). */
    private static final String NOT_FOUND_PAGE = notFoundPage();

    private static String notFoundPage() {
        try (var in = WebServer.class.getResourceAsStream("webroot/404.html")) {
            return in == null ? "<!doctype html><title>Not found</title><h1>No such page</h1>"
                    : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** 404: JSON under /api/ (and for the ingest route), an HTML page with the navigation for everything else. */
    private static void notFound(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path == null || path.startsWith("/api/") || path.equals("/api") || ctx.response().headWritten()
                || ctx.response().ended()) {
            error(ctx, 404, "no such page or endpoint", null);
            return;
        }
        ctx.response().setStatusCode(404)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(NOT_FOUND_PAGE);
    }

    private static void error(RoutingContext ctx, int status, String message, String path) {
        if (ctx.response().ended()) {
            return;
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(ApiJson.error(message, path).encode());
    }
}
