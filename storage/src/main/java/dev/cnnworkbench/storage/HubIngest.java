package dev.cnnworkbench.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.IngestBatch;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunEvents;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's side of {@link Addresses#HUB_INGEST}: how the runs of another process of the home (or of another machine)
 * reach the store this process owns. Deployed on the hub's clustered bus; hands what it takes to the hub's local bus
 * ({@code records}, see {@link dev.cnnworkbench.core.bus.ProcessBuses}), where the storage and the live stream listen.
 * Each {@link IngestBatch} is checked whole first (every event a known {@link RunEvents} record with its run id, an
 * artifact's path {@linkplain ArtifactPaths#isSafe safe}): a bad batch publishes nothing and fails with code 400. Then
 * its events are published on the local bus, in order, at their addresses, so the storage persists them and the live
 * stream shows them exactly as a run of this process. An event whose seq was already taken from its source is skipped
 * (a batch sent again). With {@code flush}, the reply waits for {@link Addresses#STORAGE_FLUSH}; if the storage cannot
 * confirm, it fails with code 503 (the events are taken all the same). A {@link Addresses#RUN_RECORDED} request from
 * the cluster gets the storage's own answer.
 *
 * <p>Runs started this way by a process of this machine are watched: if that process is gone without sending its
 * run's end, the run is ended {@code INTERRUPTED}, as the next start would do for a local run. Runs on one event
 * loop: no locks.
 */
public final class HubIngest extends VerticleBase {

    static final long WATCH_MILLIS = 5_000;
    static final long FLUSH_TIMEOUT_MILLIS = 60_000;
    private static final int MAX_SOURCES = 1_024;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * The events and the flush go to this process's consumers only: were {@code records} clustered, messages to
     * different addresses would each be routed after their own look-up of who listens, and a flush could overtake the
     * events before it.
     */
    private static final DeliveryOptions IN_THIS_PROCESS = new DeliveryOptions().setLocalOnly(true);

    private record Event(String address, Record body, long seq) {
    }

    private final Map<String, Long> lastSeq = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_SOURCES;
        }
    };
    private final RunProcessWatch processes;
    private final EventBus records;
    private long watchTimer = -1;

    /**
     * @param host    this machine's name, as runs record it
     * @param records the hub's local bus, where its storage listens
     */
    public HubIngest(String host, EventBus records) {
        this.processes = new RunProcessWatch(host);
        this.records = records;
    }

    @Override
    public Future<?> start() {
        watchTimer = vertx.setPeriodic(WATCH_MILLIS, id -> processes.endTheOrphans(records));
        return Future.all(vertx.eventBus().<IngestBatch>consumer(Addresses.HUB_INGEST, this::ingest).completion(),
                vertx.eventBus().<String>consumer(Addresses.RUN_RECORDED, this::recorded).completion());
    }

    private void recorded(Message<String> m) {
        records.request(Addresses.RUN_RECORDED, m.body(), new DeliveryOptions(IN_THIS_PROCESS)
                        .setSendTimeout(FLUSH_TIMEOUT_MILLIS))
                .onSuccess(r -> m.reply(r.body()))
                .onFailure(e -> m.fail(e instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
                        ? r.failureCode() : 503, e.getMessage()));
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(watchTimer);
        return Future.succeededFuture();
    }

    private void ingest(Message<IngestBatch> m) {
        IngestBatch batch = m.body();
        List<Event> events = new ArrayList<>();
        try {
            for (IngestBatch.Event e : batch.events()) {
                events.add(decode(e));
            }
        } catch (IllegalArgumentException e) {
            m.fail(400, e.getMessage());
            return;
        }
        int accepted = 0;
        int skipped = 0;
        for (Event e : events) {
            Long last = lastSeq.get(batch.source());
            if (last != null && e.seq() <= last) {
                skipped++;
                continue;
            }
            lastSeq.put(batch.source(), e.seq());
            processes.track(e.body());
            records.publish(e.address(), e.body(), IN_THIS_PROCESS);
            accepted++;
        }
        JsonObject reply = new JsonObject().put("accepted", accepted).put("skipped", skipped);
        if (!batch.flush()) {
            m.reply(reply.put("durable", false));
            return;
        }
        int taken = accepted;
        records.request(Addresses.STORAGE_FLUSH, "", new DeliveryOptions(IN_THIS_PROCESS)
                        .setSendTimeout(FLUSH_TIMEOUT_MILLIS))
                .onSuccess(r -> m.reply(reply.put("durable", true)))
                .onFailure(e -> m.fail(503, "the " + taken + " events are taken, but the database has not confirmed"
                        + " them yet (" + e.getMessage() + ")"));
    }

    private static Event decode(IngestBatch.Event e) {
        RunEvents type = RunEvents.at(e.address()).orElseThrow(() -> new IllegalArgumentException("event " + e.seq()
                + ": '" + e.address() + "' is no run event's address"));
        Record record;
        try {
            record = MAPPER.readValue(e.json(), type.type());
        } catch (IOException | RuntimeException x) {
            throw new IllegalArgumentException("event " + e.seq() + ": cannot read its " + type.type().getSimpleName()
                    + ": " + x.getMessage(), x);
        }
        if (record == null || (type.runId(record) == null && type != RunEvents.SWEEP_DEFINED
                && type != RunEvents.SWEEP_RUNG)) {
            throw new IllegalArgumentException("event " + e.seq() + ": runId is required");
        }
        if (record instanceof RunEnded end && end.status() == null) {
            throw new IllegalArgumentException("event " + e.seq() + ": status is required");
        }
        if (record instanceof RunArtifact a && !ArtifactPaths.isSafe(a.path())) {
            throw new IllegalArgumentException("event " + e.seq() + ": artifact path '" + a.path() + "' must be relative"
                    + " to the artifacts folder, '/'-separated, without '.' or '..' segments");
        }
        return new Event(type.address(), record, e.seq());
    }
}
