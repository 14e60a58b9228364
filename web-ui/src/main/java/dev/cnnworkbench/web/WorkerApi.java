package dev.cnnworkbench.web;

import dev.cnnworkbench.core.sweep.WorkAddresses;
import dev.cnnworkbench.core.sweep.WorkerList;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Instant;

/**
 * {@code GET /api/workers}: the workers that joined this hub ({@code workbench worker --join}), as its work queue
 * knows them ({@link WorkAddresses#WORKERS}): id, host, threads, the runs each trains now, and when its last heartbeat
 * came; and how many jobs wait for a free worker. A server whose bus has no work queue answers an empty list with
 * {@code "hub": false}.
 */
final class WorkerApi {

    private final EventBus bus;

    /** {@code bus}: where the hub's work queue answers. */
    WorkerApi(EventBus bus) {
        this.bus = bus;
    }

    void mount(Router router) {
        router.get("/api/workers").handler(ctx -> bus
                .<WorkerList>request(WorkAddresses.WORKERS, "", new DeliveryOptions().setSendTimeout(5_000))
                .onSuccess(m -> ctx.json(json(m.body(), System.currentTimeMillis())))
                .onFailure(e -> {
                    if (e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
                        ctx.json(new JsonObject().put("hub", false).put("workers", new JsonArray()).put("queued", 0));
                    } else {
                        ctx.fail(new ApiException(503, "the work queue did not answer: " + e.getMessage()));
                    }
                }));
    }

    static JsonObject json(WorkerList list, long now) {
        JsonArray workers = new JsonArray();
        for (WorkerList.Worker w : list.workers()) {
            workers.add(new JsonObject().put("id", w.beat().workerId()).put("host", w.beat().host())
                    .put("threads", w.beat().threads()).put("runs", new JsonArray(w.beat().runs()))
                    .put("last_heartbeat", Instant.ofEpochMilli(w.seenAt()).toString())
                    .put("seconds_since_heartbeat", Math.max(0, now - w.seenAt()) / 1000.0));
        }
        return new JsonObject().put("hub", true).put("workers", workers).put("queued", list.queued());
    }
}
