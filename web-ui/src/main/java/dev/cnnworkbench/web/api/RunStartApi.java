package dev.cnnworkbench.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.spec.SpecError;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.web.ApiException;
import dev.cnnworkbench.web.RunLauncher;
import dev.cnnworkbench.web.auth.Caller;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;

/**
 * Starting training from the dashboard or a script, as the calling user (see {@link RunLauncher}):
 * <ul>
 *   <li>{@code POST /api/runs} with a run spec as the body: 202 {@code {"id", "url"}} with {@code Location:
 *   /api/runs/ID}, once the run is recorded (the reply waits for the store to confirm its start, up to
 *   {@link #FLUSH_TIMEOUT_MILLIS}), so the run page can be opened at once.</li>
 *   <li>{@code POST /api/sweeps} with a sweep spec: 202 {@code {"id", "trials"}}.</li>
 * </ul>
 * A body that is not a JSON object, or a spec the launcher refuses, is 400 {@code {"error", "path", "errors": [{"path",
 * "message"}]}}: the first problem, then every one, each with its JSON path ({@code null} for the whole body). No free
 * slot (or a machine that cannot train) is 503. The body is limited like every API body ({@link WebServer#BODY_LIMIT}).
 * Without a launcher both routes answer 503. Validation and the start run on the worker executor.
 */
public final class RunStartApi {

    public static final long FLUSH_TIMEOUT_MILLIS = 10_000;

    private final Vertx vertx;
    private final RunLauncher launcher;
    private final WorkerExecutor blocking;

    public RunStartApi(Vertx vertx, RunLauncher launcher, WorkerExecutor blocking) {
        this.vertx = vertx;
        this.launcher = launcher;
        this.blocking = blocking;
    }

    public void mount(Router router) {
        router.post("/api/runs").handler(ctx -> {
            JsonNode spec = spec(ctx);
            if (spec == null) {
                return;
            }
            String user = Caller.of(ctx).name();
            start(ctx, () -> launcher.startRun(spec, user), id -> flushed(ctx, id));
        });
        router.post("/api/sweeps").handler(ctx -> {
            JsonNode spec = spec(ctx);
            if (spec == null) {
                return;
            }
            String user = Caller.of(ctx).name();
            start(ctx, () -> launcher.startSweep(spec, user), started -> reply(ctx,
                    new JsonObject().put("id", started.sweepId()).put("trials", started.trials())));
        });
    }

    private <T> void start(RoutingContext ctx, Callable<T> start, java.util.function.Consumer<T> then) {
        blocking.executeBlocking(start, false).onComplete(ar -> {
            if (ar.succeeded()) {
                then.accept(ar.result());
            } else if (ar.cause() instanceof SpecException e) {
                refuse(ctx, e);
            } else if (ar.cause() instanceof RunLauncher.Unavailable e) {
                ctx.fail(new ApiException(503, e.getMessage()));
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    /** Replies once the store has the run's start (or has not confirmed it in time: the run trains all the same). */
    private void flushed(RoutingContext ctx, String id) {
        vertx.eventBus().request(Addresses.STORAGE_FLUSH, "", new DeliveryOptions().setSendTimeout(FLUSH_TIMEOUT_MILLIS))
                .onComplete(ar -> {
                    ctx.response().putHeader("Location", "/api/runs/" + id);
                    reply(ctx, new JsonObject().put("id", id).put("url", "/run.html?id=" + id));
                });
    }

    /** The body as a JSON object; {@code null} when it is not one, after replying 400. */
    private JsonNode spec(RoutingContext ctx) {
        if (launcher == null) {
            throw new ApiException(503, "this server cannot start training (it was started without a trainer)");
        }
        String text = ctx.body().asString();
        try {
            JsonNode spec = SpecJson.readTree(text == null ? "" : text, "the request body");
            if (spec == null || !spec.isObject()) {
                throw new SpecException("", "the body must be a spec: a JSON object");
            }
            return spec;
        } catch (SpecException e) {
            refuse(ctx, e);
            return null;
        }
    }

    private static void refuse(RoutingContext ctx, SpecException e) {
        if (ctx.response().ended()) {
            return;
        }
        JsonArray errors = new JsonArray();
        for (SpecError err : e.errors()) {
            errors.add(new JsonObject().put("path", path(err)).put("message", err.message()));
        }
        SpecError first = e.errors().isEmpty() ? new SpecError("", "invalid spec") : e.errors().get(0);
        JsonObject body = ApiJson.error(first.message(), path(first)).put("errors", errors);
        ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(body.encode());
    }

    private static String path(SpecError err) {
        return err.path() == null || err.path().isEmpty() ? null : err.path();
    }

    private static void reply(RoutingContext ctx, JsonObject json) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json; charset=utf-8")
                    .putHeader("Cache-Control", "no-store").end(json.encode());
        }
    }
}
