package dev.cnnworkbench.core.worker;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.engine.TrackedRun;
import dev.cnnworkbench.core.sweep.JobAccepted;
import dev.cnnworkbench.core.sweep.JobEnded;
import dev.cnnworkbench.core.sweep.RunRequest;
import dev.cnnworkbench.core.sweep.SweepAddresses;
import dev.cnnworkbench.core.sweep.TrialOutcome;
import dev.cnnworkbench.core.sweep.TrialRequest;
import dev.cnnworkbench.core.sweep.WorkAddresses;
import dev.cnnworkbench.core.sweep.WorkJob;
import dev.cnnworkbench.core.sweep.WorkerBeat;
import dev.cnnworkbench.core.sweep.WorkerList;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's work queue: takes sweep trials ({@link SweepAddresses#TRIAL_RUN}, answered when the trial ends) and
 * queued runs ({@link WorkAddresses#SUBMIT}), and hands each to the worker with the most free threads
 * ({@link WorkAddresses#worker}). Workers register by their heartbeats ({@link WorkAddresses#BEAT}).
 *
 * <p>A worker is lost when its cluster node leaves ({@link #nodeLeft}, from the cluster manager's membership events)
 * or when it sent no heartbeat for {@code lostAfter}. Each run it was training is then recorded {@code INTERRUPTED}
 * and its job goes first in the queue, to continue the same run on another worker from the newest epoch checkpoint
 * the hub holds ({@code HOME/artifacts/RUN_ID/}); a run with no checkpoint yet starts again as a new run. A job whose
 * workers were lost {@link #MAX_ATTEMPTS} times ends {@code FAILED}. A lost worker that beats again is told it was
 * given up (code 410), and the end of a job it reports is ignored. A worker that refuses a job (busy, gone) gets no
 * more until its next beat and the job goes back to the queue; one that does not confirm in time keeps it (it may be
 * training it), until its end or its loss. Runs on one event loop: no locks.
 */
public final class WorkQueue extends VerticleBase {

    /** A worker's heartbeat interval. */
    public static final Duration BEAT = Duration.ofSeconds(1);
    /** How long a worker may stay silent before it counts as lost (override: {@code -Dworkbench.worker.lost.ms}). */
    public static final Duration LOST_AFTER = Duration.ofMillis(Long.getLong("workbench.worker.lost.ms", 8_000));
    /** The workers a job may lose before it counts as failed. */
    static final int MAX_ATTEMPTS = 3;
    private static final long HAND_TIMEOUT_MS = 20_000;
    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);

    /** A job and whoever waits for its outcome (a sweep's coordinator), or null (a queued run). */
    private static final class Entry {
        WorkJob job;
        final Message<?> requester;
        String worker;

        Entry(WorkJob job, Message<?> requester) {
            this.job = job;
            this.requester = requester;
        }
    }

    private static final class Worker {
        WorkerBeat beat;
        long seenAt;
        long handedAt;
        /** It did not take the last job handed to it: none more until its next beat. */
        boolean held;
        final Set<String> jobs = new LinkedHashSet<>();

        int free() {
            return beat.threads() - Math.max(jobs.size(), beat.jobs().size());
        }
    }

    private final Path home;
    private final long lostAfterMillis;
    private final EventBus records;
    private final ArrayDeque<Entry> queued = new ArrayDeque<>();
    private final Map<String, Entry> handed = new HashMap<>();
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private final Set<String> givenUp = new HashSet<>();
    private long timer;

    /** @param home the hub's data folder: where the runs' files, checkpoints included, are kept */
    public WorkQueue(Path home) {
        this(home, LOST_AFTER, null);
    }

    public WorkQueue(Path home, Duration lostAfter) {
        this(home, lostAfter, null);
    }

    /**
     * @param records the hub's local bus, where the end of a run whose worker was lost is published (see
     *                {@link dev.cnnworkbench.core.bus.ProcessBuses}); {@code null}: the bus this queue is deployed on
     */
    public WorkQueue(Path home, Duration lostAfter, EventBus records) {
        this.home = home;
        this.lostAfterMillis = lostAfter.toMillis();
        this.records = records;
    }

    @Override
    public Future<?> start() {
        var bus = vertx.eventBus();
        List<Future<Void>> ready = List.of(
                bus.<TrialRequest>consumer(SweepAddresses.TRIAL_RUN, this::onTrial).completion(),
                bus.<RunRequest>consumer(WorkAddresses.SUBMIT, this::onSubmit).completion(),
                bus.<WorkerBeat>consumer(WorkAddresses.BEAT, this::onBeat).completion(),
                bus.<JobEnded>consumer(WorkAddresses.ENDED, this::onEnded).completion(),
                bus.consumer(WorkAddresses.WORKERS, this::onWorkers).completion());
        timer = vertx.setPeriodic(Math.max(100, lostAfterMillis / 8), id -> checkSilent());
        return Future.all(ready);
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return Future.succeededFuture();
    }

    /**
     * The cluster node {@code nodeId} left (membership event of the cluster manager): its workers are lost now. Any
     * thread.
     */
    public void nodeLeft(String nodeId) {
        context.runOnContext(v -> new ArrayList<>(workers.values()).stream()
                .filter(w -> nodeId.equals(w.beat.nodeId()))
                .forEach(w -> lose(w, "left the cluster")));
    }

    private void onTrial(Message<TrialRequest> msg) {
        TrialRequest t = msg.body();
        String user = t.user() != null ? t.user() : dev.cnnworkbench.core.env.Host.user();
        queued.add(new Entry(new WorkJob(newJobId(), TrackedRun.newId(), user, t.specJson(), t, 1, List.of()), msg));
        dispatch();
    }

    private void onSubmit(Message<RunRequest> msg) {
        RunRequest r = msg.body();
        WorkJob job = new WorkJob(newJobId(), TrackedRun.newId(), r.user(), r.specJson(), null, 1, List.of());
        int ahead = queued.size();
        queued.add(new Entry(job, null));
        msg.reply(new JobAccepted(job.jobId(), job.runId(), ahead, workers.size()));
        LOG.info("run {} queued as job {} ({} ahead, {} workers)", job.runId(), job.jobId(), ahead, workers.size());
        dispatch();
    }

    private void onBeat(Message<WorkerBeat> msg) {
        WorkerBeat beat = msg.body();
        if (givenUp.contains(beat.workerId())) {
            msg.fail(410, "the hub gave worker " + beat.workerId() + " up (it was silent for too long); its runs"
                    + " continue on other workers");
            return;
        }
        Worker w = workers.computeIfAbsent(beat.workerId(), id -> {
            LOG.info("worker {} on {} joined: {} thread(s)", id, beat.host(), beat.threads());
            return new Worker();
        });
        w.beat = beat;
        w.seenAt = System.currentTimeMillis();
        w.held = false;
        msg.reply("ok");
        dispatch();
    }

    private void onEnded(Message<JobEnded> msg) {
        JobEnded ended = msg.body();
        Entry e = handed.get(ended.jobId());
        if (e == null || !ended.workerId().equals(e.worker)) {
            msg.reply("stale");
            return;
        }
        handed.remove(ended.jobId());
        Worker w = workers.get(ended.workerId());
        if (w != null) {
            w.jobs.remove(ended.jobId());
        }
        msg.reply("ok");
        TrialOutcome o = ended.outcome();
        LOG.info("job {} (run {}) ended on worker {}: {}{}", ended.jobId(), o.runId(), ended.workerId(), o.status(),
                o.reason() == null ? "" : " (" + o.reason() + ")");
        if (e.requester != null) {
            e.requester.reply(o);
        }
        dispatch();
    }

    private void onWorkers(Message<Object> msg) {
        List<WorkerList.Worker> list = new ArrayList<>();
        workers.values().forEach(w -> list.add(new WorkerList.Worker(w.beat, w.seenAt)));
        msg.reply(new WorkerList(list, queued.size()));
    }

    /** Hands queued jobs to the workers with free threads, the freest first (the one idle longest on a tie). */
    private void dispatch() {
        while (!queued.isEmpty()) {
            Worker w = workers.values().stream().filter(x -> !x.held && x.free() > 0)
                    .max(java.util.Comparator.comparingInt(Worker::free)
                            .thenComparing(java.util.Comparator.comparingLong((Worker x) -> x.handedAt).reversed()))
                    .orElse(null);
            if (w == null) {
                return;
            }
            Entry e = queued.poll();
            hand(e, w);
        }
    }

    private void hand(Entry e, Worker w) {
        String workerId = w.beat.workerId();
        WorkJob job = e.job;
        e.worker = workerId;
        w.jobs.add(job.jobId());
        w.handedAt = System.nanoTime();
        handed.put(job.jobId(), e);
        vertx.eventBus().request(WorkAddresses.worker(workerId), job, new DeliveryOptions().setSendTimeout(HAND_TIMEOUT_MS))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        LOG.info("job {} (run {}{}) handed to worker {} on {}{}", job.jobId(), job.runId(),
                                job.trial() == null ? "" : ", trial " + job.trial().trial() + " of " + job.trial().sweepId(),
                                workerId, w.beat.host(), job.resumes() ? ", resuming from its checkpoint" : "");
                        return;
                    }
                    if (handed.get(job.jobId()) != e || !workerId.equals(e.worker)) {
                        return; // the worker was lost meanwhile and the job already went back to the queue
                    }
                    if (ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
                        // it may have the job: handing it to another could train it twice. Its end, or its loss, tells.
                        LOG.warn("worker {} has not confirmed job {} in {} s; it stays its job", workerId, job.jobId(),
                                HAND_TIMEOUT_MS / 1000);
                        return;
                    }
                    LOG.warn("worker {} did not take job {}: {}", workerId, job.jobId(), ar.cause().getMessage());
                    handed.remove(job.jobId());
                    w.jobs.remove(job.jobId());
                    w.held = true;
                    e.worker = null;
                    queued.addFirst(e);
                    dispatch();
                });
    }

    private void checkSilent() {
        long now = System.currentTimeMillis();
        new ArrayList<>(workers.values()).stream().filter(w -> now - w.seenAt > lostAfterMillis)
                .forEach(w -> lose(w, "sent no heartbeat for " + (now - w.seenAt) / 1000 + " s"));
    }

    /** Gives worker {@code w} up: its runs are recorded INTERRUPTED and their jobs go first in the queue. */
    private void lose(Worker w, String reason) {
        String id = w.beat.workerId();
        if (workers.remove(id) == null) {
            return;
        }
        givenUp.add(id);
        LOG.warn("worker {} on {} lost ({}): {} job(s) go to other workers", id, w.beat.host(), reason, w.jobs.size());
        List<Entry> back = new ArrayList<>();
        for (String jobId : w.jobs) {
            Entry e = handed.remove(jobId);
            if (e == null) {
                continue;
            }
            String runId = e.job.runId();
            String why = "its worker " + id + " on " + w.beat.host() + " " + reason;
            List<String> files = resumeFiles(runId);
            boolean again = e.job.attempt() < MAX_ATTEMPTS;
            EventBus bus = records != null ? records : vertx.eventBus();
            bus.publish(Addresses.RUN_ENDED, new RunEnded(runId, RunStatus.INTERRUPTED,
                    why + (again ? "; it continues on another worker" : ""), System.currentTimeMillis()));
            if (!again) {
                fail(e, why + ", " + MAX_ATTEMPTS + " times");
                continue;
            }
            boolean resumes = files.stream().anyMatch(RunArtifacts::isCheckpoint);
            e.job = resumes ? e.job.handedOn(runId, files) : e.job.handedOn(TrackedRun.newId(), List.of());
            e.worker = null;
            LOG.info("job {}: run {} {}", jobId, runId, resumes ? "resumes from " + files.get(0) + " on the next free"
                    + " worker" : "had no checkpoint yet: it starts again as run " + e.job.runId());
            back.add(e);
        }
        for (int i = back.size() - 1; i >= 0; i--) {
            queued.addFirst(back.get(i));
        }
        dispatch();
    }

    private static void fail(Entry e, String reason) {
        if (e.requester != null) {
            TrialRequest t = e.job.trial();
            e.requester.reply(new TrialOutcome(t == null ? null : t.sweepId(), t == null ? 0 : t.trial(), e.job.runId(),
                    RunStatus.FAILED, Map.of(), reason));
        }
    }

    /** What a run continues from: its newest checkpoint the hub holds (first), best network and snapshots. */
    private List<String> resumeFiles(String runId) {
        Path dir = RunArtifacts.dir(home, runId);
        List<Path> checkpoints = RunArtifacts.checkpoints(dir);
        if (checkpoints.isEmpty()) {
            return List.of();
        }
        List<String> files = new ArrayList<>();
        files.add(checkpoints.get(checkpoints.size() - 1).getFileName().toString());
        if (java.nio.file.Files.isRegularFile(RunArtifacts.best(dir))) {
            files.add(RunArtifacts.best(dir).getFileName().toString());
        }
        RunArtifacts.snapshots(dir).forEach(p -> files.add(p.getFileName().toString()));
        return files;
    }

    private static String newJobId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
