package dev.cnnworkbench.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.IngestBatch;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEvents;
import dev.cnnworkbench.storage.ArtifactPaths;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunWriter;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a process attached to its home's hub (another process owns the store), and in a worker: takes the place of the
 * storage verticle on this process's own (local) bus ({@link dev.cnnworkbench.core.bus.ProcessBuses}). It consumes what this process publishes (every {@link RunEvents}: run starts,
 * metrics, warnings, artifacts, sweep records and ends) and sends it, in order, to the hub over the clustered bus
 * ({@link Addresses#HUB_INGEST}, {@link IngestBatch}), batched (every {@link #BATCH_MILLIS} ms or {@link #BATCH_POINTS}
 * points, and at once for a run's start, warnings, artifacts and end); the hub publishes it on its own bus, where its
 * storage persists it and its live stream shows it. It answers the local {@link Addresses#STORAGE_FLUSH} once
 * everything received before is durable in the hub's database, and {@link Addresses#RUN_RECORDED} with the hub's own
 * answer, as the storage verticle does, so a trainer cannot tell the difference.
 *
 * <p>Failures: while the hub does not answer, everything is kept in order in memory and retried with a growing delay
 * (up to {@link #MAX_RETRY_MILLIS} ms), with a warning every {@link #WARN_EVERY_MILLIS} ms. Each event carries this
 * process's id and a sequence number, so the hub skips what a retry sends twice. When the hub is gone for good (its
 * {@code hub.json} removed or naming another process, or its process dead), this process opens the database itself and
 * writes the rest there, in order, starting with what the gone hub took without confirming it durable. An artifact
 * whose path is not {@linkplain ArtifactPaths#isSafe safe} is not sent (the hub would refuse its whole batch); the
 * error is logged. Runs on one event loop of the local Vert.x: no locks.
 */
public final class HubLink extends VerticleBase {

    static final long BATCH_MILLIS = 200;
    static final int BATCH_POINTS = 1_000;
    /** Keeps one message well under what a bus frame should carry. */
    static final int MAX_REQUEST_CHARS = 4 * 1024 * 1024;
    static final long MAX_RETRY_MILLIS = 2_000;
    static final long WARN_EVERY_MILLIS = 5_000;
    static final long STOP_WAIT_MILLIS = 10_000;
    /** A batch that waits for durability: the hub's storage may be writing a backlog. */
    static final long REQUEST_TIMEOUT_MILLIS = 90_000;
    /** A batch that does not: the hub only publishes it. Sending again is safe (the hub skips what it has). */
    static final long SEND_TIMEOUT_MILLIS = 15_000;
    private static final Logger LOG = LoggerFactory.getLogger(HubLink.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One event waiting to be acknowledged, with its record already encoded. */
    private record Pending(long seq, String address, Record body, int points, String json) {
        boolean runEvent() {
            return !(body instanceof MetricBatch);
        }
    }

    /** How a delivery went: the first {@code count} events of the batch are acknowledged, and durable or not. */
    private record Delivered(int count, boolean durable) {
    }

    /** A local flush (or run-start) request, answered once everything up to {@code seq} is durable. */
    private record Waiter(long seq, Message<?> msg) {
    }

    /** The hub refused a batch for its content: sending it again would not help. */
    private static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final Path home;
    /** The hub as its {@code hub.json} names it; null for a hub on another machine (no take-over then). */
    private final HubFile hub;
    /** The hub, for people. */
    private final String hubName;
    private final io.vertx.core.eventbus.EventBus cluster;
    private final Supplier<Database> openDatabase;
    /** A worker's membership, watched for its hub's leaving; null in a process that watches its hub's pid instead. */
    private final ClusterMember member;
    private final String source = ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /**
     * Events the hub took but has not yet said are in its database: if it dies before it does, they go again, first,
     * into this process's own database once it takes over, since a killed hub may have lost them.
     */
    private final ArrayDeque<Pending> undurable = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private Database db;
    private RunWriter writer;
    private long nextSeq;
    private long ackedSeq = -1;
    private long durableSeq = -1;
    private long queuedPoints;
    private int queuedRunEvents;
    private long sentPoints;
    private boolean inFlight;
    private boolean failing;
    private long retryAt;
    private long retryDelay;
    private long lastWarn;
    private String problem;
    private long timer;
    /** Which delivery is in flight; a reply to an abandoned one (its hub died) is ignored. */
    private long attempt;
    /** Whether a look at who owns the database (on a worker) is under way. */
    private boolean reconsidering;

    /**
     * Sends to {@code hub} over {@code member}'s clustered bus; {@code openDatabase} opens the home's database should
     * the hub go away for good (called on a worker thread, at most once).
     */
    public HubLink(Path home, HubFile hub, ClusterMember member, Supplier<Database> openDatabase) {
        this.home = home;
        this.hub = hub;
        this.hubName = hub.toString();
        this.cluster = member.vertx().eventBus();
        this.openDatabase = openDatabase;
        this.member = null;
    }

    /**
     * For a worker: sends to the hub that {@code member} joined at {@code joinAddress}, and only to it. It never takes
     * the database over: while the hub is away, everything waits here, in order, until it is back.
     */
    public static HubLink toHub(String joinAddress, ClusterMember member) {
        return new HubLink(joinAddress, member);
    }

    private HubLink(String joinAddress, ClusterMember member) {
        this.home = null;
        this.hub = null;
        this.hubName = "hub at " + joinAddress;
        this.cluster = member.vertx().eventBus();
        this.openDatabase = null;
        this.member = member;
    }

    @Override
    public Future<?> start() {
        var bus = vertx.eventBus();
        for (RunEvents type : RunEvents.values()) {
            bus.<Record>localConsumer(type.address(), m -> enqueue(type, m.body()));
        }
        bus.<Object>localConsumer(Addresses.STORAGE_FLUSH, this::onFlush);
        bus.<Object>localConsumer(Addresses.RUN_RECORDED, this::onFlush);
        if (member != null) {
            var context = vertx.getOrCreateContext();
            member.manager().getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                    // a full member: the hub, or another worker (commands are lite members). Abandoning for a worker
                    // is harmless: the batch goes again, and the hub keeps each (source, seq) once
                    if (!event.getMember().isLiteMember()) {
                        context.runOnContext(v -> abandonInFlight("it left the cluster"));
                    }
                }
            });
        }
        timer = vertx.setPeriodic(BATCH_MILLIS, id -> {
            abandonIfHubDied();
            pump();
            warnIfStuck();
        });
        return Future.succeededFuture();
    }

    /** Waits up to {@link #STOP_WAIT_MILLIS} ms for what is left to be delivered; says what was not. */
    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        Promise<Void> done = Promise.promise();
        long deadline = System.currentTimeMillis() + STOP_WAIT_MILLIS;
        vertx.setPeriodic(50, id -> {
            pump();
            if ((queue.isEmpty() && !inFlight) || System.currentTimeMillis() > deadline) {
                vertx.cancelTimer(id);
                finish();
                done.complete();
            }
        });
        return done.future();
    }

    private void finish() {
        if (!queue.isEmpty()) {
            LOG.error("{} metric points and {} run events could not be delivered to the {} ({}); the runs are recorded"
                    + " up to what it acknowledged", queuedPoints, queuedRunEvents, hubName, problem);
        }
        waiters.forEach(w -> w.msg().fail(503, "stopped before everything was delivered to the " + hubName));
        waiters.clear();
        if (db != null) {
            db.close();
        }
    }

    private void enqueue(RunEvents type, Record body) {
        if (body instanceof RunArtifact a && !ArtifactPaths.isSafe(a.path())) {
            LOG.error("artifact '{}' of run {} is not sent: its path '{}' is not a relative path inside the artifacts"
                    + " folder", a.name(), a.runId(), a.path());
            return;
        }
        int points = body instanceof MetricBatch m ? m.points().size() : 0;
        long seq = nextSeq++;
        String json;
        try {
            json = MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        Pending pending = new Pending(seq, type.address(), body, points, json);
        queue.add(pending);
        queuedPoints += points;
        if (pending.runEvent()) {
            queuedRunEvents++;
        }
        // a run's start, warnings, artifacts and end go at once (the dashboard shows them), points once a batch is full
        if (pending.runEvent() || queuedPoints >= BATCH_POINTS) {
            pump();
        }
    }

    private void onFlush(Message<Object> msg) {
        long seq = nextSeq - 1;
        if (seq <= durableSeq) {
            answer(msg);
            return;
        }
        waiters.add(new Waiter(seq, msg));
        pump();
    }

    /** Sends the next batch unless one is in flight, there is nothing to do, or a retry is not due. */
    private void pump() {
        if (inFlight || (queue.isEmpty() && waiters.isEmpty()) || System.currentTimeMillis() < retryAt) {
            return;
        }
        List<Pending> batch = new ArrayList<>();
        long chars = 2;
        for (Pending p : queue) {
            if (!batch.isEmpty() && chars + p.json().length() + 1 > MAX_REQUEST_CHARS) {
                break;
            }
            batch.add(p);
            chars += p.json().length() + 1;
        }
        long last = batch.isEmpty() ? nextSeq - 1 : batch.get(batch.size() - 1).seq();
        // a worker cannot take the database over should its hub die: it has every batch made durable before it
        // lets go of it, so a hub that dies loses nothing of its (what the hub took goes again to the next one)
        boolean flush = hub == null || waiters.stream().anyMatch(w -> w.seq() <= last);
        inFlight = true;
        long mine = ++attempt;
        Future<Delivered> delivery = writer != null ? write(batch) : post(batch, flush);
        delivery.onComplete(ar -> {
            if (mine != attempt) {
                return; // abandoned: its hub died while it was in flight
            }
            if (ar.succeeded()) {
                acknowledge(ar.result().count(), ar.result().durable());
                inFlight = false;
                if (queuedPoints >= BATCH_POINTS || queuedRunEvents > 0 || !waiters.isEmpty()) {
                    pump();
                }
            } else if (ar.cause() instanceof Refused refused) {
                LOG.error("the {} refused {} events ({}); they are dropped", hubName, batch.size(), refused.getMessage());
                acknowledge(batch.size(), false);
                inFlight = false;
            } else {
                failed(ar.cause());
            }
        });
    }

    private Future<Delivered> post(List<Pending> batch, boolean flush) {
        List<IngestBatch.Event> events = new ArrayList<>(batch.size());
        batch.forEach(p -> events.add(new IngestBatch.Event(p.seq(), p.address(), p.json())));
        Promise<Delivered> result = Promise.promise();
        var context = vertx.getOrCreateContext();
        cluster.<JsonObject>request(Addresses.HUB_INGEST, new IngestBatch(source, flush, events),
                new DeliveryOptions().setSendTimeout(flush ? REQUEST_TIMEOUT_MILLIS : SEND_TIMEOUT_MILLIS))
                .onComplete(ar -> context.runOnContext(v -> {
            if (ar.succeeded()) {
                result.complete(new Delivered(batch.size(), ar.result().body().getBoolean("durable", false)));
            } else if (ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
                    && r.failureCode() == 400) {
                result.fail(new Refused(r.getMessage()));
            } else if (ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
                result.fail(new IOException("it is not on the bus"));
            } else {
                result.fail(new IOException(String.valueOf(ar.cause().getMessage()), ar.cause()));
            }
        }));
        return result.future();
    }

    /**
     * After a take-over: writes the batch into the database, in order, consecutive metrics in one transaction;
     * acknowledges what was written before any failure.
     */
    private Future<Delivered> write(List<Pending> batch) {
        return vertx.executeBlocking(() -> {
            int done = 0;
            while (done < batch.size()) {
                int next = done + 1;
                Record body = batch.get(done).body();
                try {
                    if (!(body instanceof MetricBatch)) {
                        writer.write(body);
                    } else {
                        List<RunWriter.RunPoint> points = new ArrayList<>();
                        for (next = done; next < batch.size() && batch.get(next).body() instanceof MetricBatch m; next++) {
                            m.points().forEach(x -> points.add(new RunWriter.RunPoint(m.runId(), x)));
                        }
                        writer.insertMetrics(points);
                    }
                } catch (SQLException e) {
                    String state = String.valueOf(e.getSQLState());
                    if (!(state.startsWith("22") || state.startsWith("23") || state.startsWith("42"))) {
                        if (done == 0) {
                            throw e;
                        }
                        return new Delivered(done, true);
                    }
                    LOG.error("the database refused events {} to {} of this process ({}); they are dropped",
                            batch.get(done).seq(), batch.get(next - 1).seq(), e.getMessage());
                }
                done = next;
            }
            return new Delivered(done, true);
        }, true);
    }

    /**
     * Once everything before it is durable: a flush gets the points written; a run's start gets the hub's own answer
     * (it may refuse the start), or "recorded" when this process writes the database itself.
     */
    private void answer(Message<?> msg) {
        if (!Addresses.RUN_RECORDED.equals(msg.address())) {
            msg.reply(sentPoints);
            return;
        }
        if (writer != null) {
            msg.reply("recorded");
            return;
        }
        var context = vertx.getOrCreateContext();
        cluster.request(Addresses.RUN_RECORDED, msg.body(), new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MILLIS))
                .onComplete(ar -> context.runOnContext(v -> {
                    if (ar.succeeded()) {
                        msg.reply(ar.result().body());
                    } else if (ar.cause() instanceof ReplyException r
                            && r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                        msg.fail(r.failureCode(), r.getMessage()); // the hub's store refused the start
                    } else {
                        msg.reply("queued"); // the hub went away: the start is kept here, for whoever writes it
                    }
                }));
    }

    private void acknowledge(int count, boolean isDurable) {
        for (int i = 0; i < count; i++) {
            Pending p = queue.poll();
            queuedPoints -= p.points();
            sentPoints += p.points();
            if (p.runEvent()) {
                queuedRunEvents--;
            }
            ackedSeq = p.seq();
            if (!isDurable && writer == null) {
                undurable.add(p);
            }
        }
        if (isDurable) {
            undurable.clear();
            durableSeq = ackedSeq;
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.seq() <= durableSeq) {
                    answer(w.msg());
                    it.remove();
                }
            }
        }
        if (failing) {
            LOG.info("delivered again to the {}", writer != null ? "database" : hubName);
        }
        failing = false;
        retryDelay = 0;
        retryAt = 0;
    }

    /** A delivery failed: look again at who owns the database, then retry after a growing delay. */
    private void failed(Throwable cause) {
        failing = true;
        problem = cause.getMessage();
        retryDelay = Math.min(MAX_RETRY_MILLIS, Math.max(BATCH_MILLIS, retryDelay * 2));
        retryAt = System.currentTimeMillis() + retryDelay;
        if (writer != null) {
            inFlight = false;
            return;
        }
        reconsidering = true;
        vertx.executeBlocking(this::reconsider, true).onComplete(ar -> {
            reconsidering = false;
            if (ar.failed()) {
                problem = ar.cause().getMessage();
            } else if (ar.result() != null) {
                Database opened = ar.result();
                LOG.warn("the {} is gone; this process writes the rest of its runs into {} itself", hubName, opened.url());
                db = opened;
                writer = new RunWriter(opened);
                sendUndurableAgain();
                retryAt = 0;
            }
            inFlight = false;
        });
    }

    /** Puts what the gone hub took without confirming it durable back at the front of the queue, in order. */
    private void sendUndurableAgain() {
        if (!undurable.isEmpty()) {
            LOG.warn("sending {} events again that the gone hub took but may not have written", undurable.size());
        }
        while (!undurable.isEmpty()) {
            Pending p = undurable.pollLast();
            queue.addFirst(p);
            queuedPoints += p.points();
            sentPoints -= p.points();
            if (p.runEvent()) {
                queuedRunEvents++;
            }
        }
    }

    /**
     * On a worker, after the hub did not take a batch: the database, opened by this process, when the hub is gone for
     * good (its file removed or naming another process, or its process dead); null to retry the same hub.
     */
    private Database reconsider() throws IOException {
        if (hub == null) {
            return null;
        }
        HubFile now = HubFile.read(home);
        boolean same = now != null && now.pid() == hub.pid() && now.join().equals(hub.join());
        if (same && hub.processAlive()) {
            return null;
        }
        return openDatabase.get();
    }

    /**
     * A hub on this machine whose process is gone answers nothing: rather than wait for the delivery in flight to time
     * out, give it up and take the database over now.
     */
    private void abandonIfHubDied() {
        if (hub != null && hub.onThisMachine() && !hub.processAlive()) {
            abandonInFlight("its process (" + hub.pid() + ") is gone");
        }
    }

    /** Gives the delivery in flight up (it is sent again, to whoever takes over), its hub being gone. */
    private void abandonInFlight(String why) {
        if (inFlight && !reconsidering && writer == null) {
            attempt++;
            failed(new IOException(why));
        }
    }

    private void warnIfStuck() {
        long now = System.currentTimeMillis();
        if (failing && now - lastWarn >= WARN_EVERY_MILLIS) {
            lastWarn = now;
            LOG.warn("{} metric points and {} run events are waiting for the {} ({}); retrying", queuedPoints,
                    queuedRunEvents, writer != null ? "database" : hubName, problem);
        }
    }
}
