package dev.cnnworkbench.web.api;

import dev.cnnworkbench.web.ApiException;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;

/**
 * How the dashboard's APIs answer: a JSON body computed on the store's worker pool, or an error. An
 * {@link ApiException} is rendered here with all its fields ({@link ApiException#toJson()}); anything else goes to
 * the router's failure handler, which answers 500 without the cause.
 */
public final class ApiReply {

    private ApiReply() {
    }

    /** Runs {@code work} on {@code blocking} (unordered) and answers with its JSON, or fails the request. */
    public static void json(RoutingContext ctx, WorkerExecutor blocking, Callable<JsonObject> work) {
        blocking.executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.json(ar.result());
            } else {
                fail(ctx, ar.cause());
            }
        });
    }

    /** Runs {@code handler}; a refusal it throws is answered at once. */
    public static void guarded(RoutingContext ctx, Runnable handler) {
        try {
            handler.run();
        } catch (ApiException e) {
            fail(ctx, e);
        }
    }

    public static void fail(RoutingContext ctx, Throwable e) {
        if (!(e instanceof ApiException api)) {
            ctx.fail(e);
            return;
        }
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(api.status())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(api.toJson().encode());
    }
}
