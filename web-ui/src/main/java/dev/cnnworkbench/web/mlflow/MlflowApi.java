package dev.cnnworkbench.web.mlflow;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.StorageException;
import dev.cnnworkbench.storage.mlflow.MlflowExperiments;
import dev.cnnworkbench.storage.mlflow.MlflowRuns;
import dev.cnnworkbench.web.RunStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workbench as an MLflow tracking server: the tracking subset of MLflow's REST API 2.0 (its service.proto) under
 * {@value #PREFIX}, so scripts that log with MLflow ({@code MLFLOW_TRACKING_URI=http://HOST:PORT}) record into this
 * store. Experiments ({@link ExperimentRoutes}) are the workbench's experiments; runs ({@link RunRoutes}) are
 * workbench runs: their start, metrics and end are published on the event bus like any trainer's (so the storage
 * verticle persists them and the dashboard streams them live), and parameters, tags and deletion are written
 * through {@link MlflowRuns}. Every write is durable when answered (metrics: {@link MetricLogging}). Reads first wait for the storage to commit what was published before
 * ({@link Addresses#STORAGE_FLUSH}), so a client reads what it logged.
 *
 * <p>Who: the server's access control runs first (personal tokens as {@code Authorization: Bearer}, as MLflow clients
 * send {@code MLFLOW_TRACKING_TOKEN}, in team mode; the server's user otherwise); runs belong to their caller, who
 * (or an admin) alone may change them. Errors are MLflow's {@code {"error_code", "message"}} with MLflow's HTTP
 * status. Artifacts are not stored: their endpoints answer {@code NOT_IMPLEMENTED} (501) saying so.
 */
public final class MlflowApi {

    static final String PREFIX = "/api/2.0/mlflow/";
    /** MLflow's own clients send batches of up to 1,000 metrics, 100 params and 100 tags of up to 8,000 characters. */
    static final long BODY_LIMIT = 2 * 1024 * 1024;
    static final long FLUSH_TIMEOUT_MILLIS = 10_000;
    /** The reply of the write endpoints. */
    static final JsonObject EMPTY = new JsonObject();
    private static final Logger LOG = LoggerFactory.getLogger(MlflowApi.class);

    private final Vertx vertx;
    private final WorkerExecutor blocking;
    private final Function<RoutingContext, MlflowCaller> callers;
    private final ExperimentRoutes experiments;
    private final RunRoutes runs;
    private final MetricLogging metrics;
    private final Map<String, Handler<RoutingContext>> endpoints = new HashMap<>();

    /**
     * @param store   the server's store; its database records what MLflow clients log besides the bus's events
     * @param callers who sent a request, as the server's access control established it
     */
    public MlflowApi(Vertx vertx, RunStore store, WorkerExecutor blocking, Function<RoutingContext, MlflowCaller> callers) {
        this.vertx = vertx;
        this.blocking = blocking;
        this.callers = callers;
        if (store.writable()) {
            Database db = store.database();
            MlflowExperiments experimentStore = new MlflowExperiments(db);
            this.experiments = new ExperimentRoutes(this, experimentStore);
            this.metrics = new MetricLogging(this, store, MetricLogging.journalFor(store));
            this.runs = new RunRoutes(this, store, experimentStore, new MlflowRuns(db), metrics);
        } else {
            this.experiments = null;
            this.metrics = null;
            this.runs = null;
        }
    }

    /** Writes metrics a killed process acknowledged but did not commit, and starts the journal's checkpoints. */
    public void start() {
        if (metrics != null) {
            metrics.start();
        }
    }

    /** Stops the checkpoints; what is not confirmed committed stays in the journal for the next start. */
    public void stop() {
        if (metrics != null) {
            metrics.stop();
        }
    }

    /**
     * Mounts the routes. Call after the server's access control; the larger body limit is installed ahead of the
     * server's own (a route ordered first), as log-batch bodies exceed the dashboard API's.
     */
    public void mount(Router router) {
        router.route(PREFIX + "*").order(-1).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        if (experiments == null) {
            router.route(PREFIX + "*").handler(ctx -> fail(ctx, new MlflowException(MlflowException.Code.NOT_IMPLEMENTED,
                    "this server's store is read-only: it takes no MLflow clients")));
            return;
        }
        experiments.mount(this);
        runs.mount(this);
        Handler<RoutingContext> artifacts = ctx -> fail(ctx, new MlflowException(MlflowException.Code.NOT_IMPLEMENTED,
                "this workbench stores no artifacts of MLflow clients: log files with the workbench's own runs, or keep"
                        + " them elsewhere; runs, params, metrics and tags are recorded"));
        router.route(PREFIX + "artifacts/*").handler(artifacts);
        router.route("/api/2.0/mlflow-artifacts/*").handler(artifacts);
        router.route(PREFIX + "*").handler(this::dispatch).failureHandler(this::failure);
    }

    /**
     * Registers {@code handler} for POST of {@code PREFIX + path} and, for reads, GET (MLflow's clients use both).
     * The endpoints are one table, as in MLflow's service.proto, dispatched by one route.
     */
    void route(String path, boolean read, Handler<RoutingContext> handler) {
        endpoints.put("POST " + path, handler);
        if (read) {
            endpoints.put("GET " + path, handler);
        }
    }

    private void dispatch(RoutingContext ctx) {
        String path = ctx.normalizedPath().substring(PREFIX.length());
        Handler<RoutingContext> handler = endpoints.get(ctx.request().method().name() + " " + path);
        if (handler == null) {
            fail(ctx, new MlflowException(MlflowException.Code.ENDPOINT_NOT_FOUND, "no MLflow endpoint "
                    + ctx.request().method() + " " + ctx.normalizedPath() + " on this server (it speaks the tracking API:"
                    + " experiments, runs, metrics)"));
        } else {
            handler.handle(ctx);
        }
    }

    MlflowCaller caller(RoutingContext ctx) {
        return callers.apply(ctx);
    }

    /** Answers with what {@code work} computes on the worker pool. */
    void reply(RoutingContext ctx, Callable<JsonObject> work) {
        blocking.executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ok(ctx, ar.result());
            } else {
                fail(ctx, ar.cause());
            }
        });
    }

    /** As {@link #reply}, once the storage has committed everything published before. */
    void replyAfterFlush(RoutingContext ctx, Callable<JsonObject> work) {
        flush().onComplete(ar -> reply(ctx, work));
    }

    /**
     * Answers {@code {}} once the storage has committed everything published before, so a 200 means durable (as
     * MLflow's own server answers after its store's commit); {@code TEMPORARILY_UNAVAILABLE} (503) when the storage
     * cannot confirm that (the database is away: what was published is kept and written when it returns). Concurrent
     * calls share commits: the storage's one flush writes everything queued before it in one transaction.
     */
    void replyCommitted(RoutingContext ctx) {
        vertx.eventBus().request(Addresses.STORAGE_FLUSH, "", new DeliveryOptions().setSendTimeout(FLUSH_TIMEOUT_MILLIS))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        ok(ctx, EMPTY);
                    } else {
                        fail(ctx, new MlflowException(MlflowException.Code.TEMPORARILY_UNAVAILABLE, "accepted but not"
                                + " yet committed: the database has not confirmed it (" + ar.cause().getMessage()
                                + "); it is kept and written when the database returns"));
                    }
                });
    }

    /** Completes once the storage has committed everything published before (or has said it cannot yet). */
    Future<Void> flush() {
        return vertx.eventBus().request(Addresses.STORAGE_FLUSH, "",
                new DeliveryOptions().setSendTimeout(FLUSH_TIMEOUT_MILLIS)).<Void>mapEmpty()
                .recover(e -> {
                    LOG.warn("the storage did not confirm a flush before an MLflow read: {}", e.getMessage());
                    return Future.succeededFuture();
                });
    }

    Vertx vertx() {
        return vertx;
    }

    WorkerExecutor blocking() {
        return blocking;
    }

    static void ok(RoutingContext ctx, JsonObject body) {
        if (!ctx.response().ended()) {
            ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                    .end(body == EMPTY ? "{}" : body.encode());
        }
    }

    /** Handles a request on the event loop, answering a refusal it throws in MLflow's shape. */
    static Handler<RoutingContext> guarded(Handler<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (MlflowException e) {
                fail(ctx, e);
            }
        };
    }

    static void fail(RoutingContext ctx, Throwable e) {
        MlflowException m;
        if (e instanceof MlflowException me) {
            m = me;
        } else if (e instanceof MlflowRuns.ParamConflict conflict) {
            m = MlflowException.invalid(conflict.getMessage());
        } else if (e instanceof IllegalArgumentException bad) {
            m = MlflowException.invalid(bad.getMessage());
        } else {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), e);
            m = new MlflowException(e instanceof StorageException ? MlflowException.Code.TEMPORARILY_UNAVAILABLE
                    : MlflowException.Code.INTERNAL_ERROR, e instanceof StorageException
                    ? "the database refused the request; the server log has the details"
                    : "internal error; the server log has the details");
        }
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(m.code().status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(m.toJson().encode());
    }

    /** Failures of the routes before ours (a body over the limit): MLflow's shape, the status kept. */
    private void failure(RoutingContext ctx) {
        Throwable e = ctx.failure();
        if (ctx.statusCode() == 413) {
            fail(ctx, new MlflowException(MlflowException.Code.INVALID_PARAMETER_VALUE, "request body larger than "
                    + BODY_LIMIT + " bytes"));
        } else if (e instanceof MlflowException || e instanceof MlflowRuns.ParamConflict) {
            fail(ctx, e);
        } else {
            ctx.next();
        }
    }

    static boolean isGet(RoutingContext ctx) {
        return ctx.request().method() == HttpMethod.GET;
    }
}
