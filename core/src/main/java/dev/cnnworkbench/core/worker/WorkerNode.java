package dev.cnnworkbench.core.worker;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.sweep.JobEnded;
import dev.cnnworkbench.core.sweep.TrialOutcome;
import dev.cnnworkbench.core.sweep.WorkAddresses;
import dev.cnnworkbench.core.sweep.WorkJob;
import dev.cnnworkbench.core.sweep.WorkerBeat;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker: takes jobs from the hub's {@link WorkQueue} on its own address ({@link WorkAddresses#worker}), trains up
 * to {@code threads} at once on a pool of its own (never on an event loop), and tells the hub each job's end
 * ({@link WorkAddresses#ENDED}), again and again until the hub answers, so an end survives a hub that is away
 * meanwhile. Sends a {@link WorkerBeat} every {@link WorkQueue#BEAT}. When the hub says it gave this worker up (it
 * was silent too long and its runs went to other workers), {@code onGivenUp} is called: the worker must stop training
 * them (its process ends).
 */
public final class WorkerNode extends VerticleBase {

    /** Trains one job to its end; never throws for a run that fails (that is an outcome). Any thread. */
    @FunctionalInterface
    public interface Executor {
        TrialOutcome execute(WorkJob job);
    }

    private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);
    private static final long RETRY_MS = 2_000;

    private final String workerId;
    private final String nodeId;
    private final int threads;
    private final Path home;
    private final Executor executor;
    private final Runnable onGivenUp;
    private final Map<String, WorkJob> running = new LinkedHashMap<>();
    private final Set<String> unreported = ConcurrentHashMap.newKeySet();
    private int cores = Runtime.getRuntime().availableProcessors();
    private WorkerExecutor pool;
    private long timer;
    private boolean hubAway;

    /**
     * @param workerId  unique in the cluster
     * @param nodeId    this process's cluster node, or {@code null} on a bus that is not clustered
     * @param threads   jobs trained at once, {@code >= 1}
     * @param home      this worker's data folder (said in its beats)
     * @param onGivenUp called (on an event loop) when the hub gave this worker up
     */
    public WorkerNode(String workerId, String nodeId, int threads, Path home, Executor executor, Runnable onGivenUp) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        this.workerId = workerId;
        this.nodeId = nodeId;
        this.threads = threads;
        this.home = home;
        this.executor = executor;
        this.onGivenUp = onGivenUp;
    }

    /**
     * The cores this worker's jobs share (their native threads, together); by default all of this machine's. Give
     * each worker its share when several run on one machine. Call before deploying.
     */
    public WorkerNode withCores(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("--cores must be >= 1, got " + cores);
        }
        this.cores = cores;
        return this;
    }

    @Override
    public Future<?> start() {
        pool = vertx.createSharedWorkerExecutor("workbench-jobs-" + workerId, threads, 30, TimeUnit.DAYS);
        var consumer = vertx.eventBus().<WorkJob>consumer(WorkAddresses.worker(workerId), this::onJob);
        return consumer.completion().onSuccess(v -> {
            beat();
            timer = vertx.setPeriodic(WorkQueue.BEAT.toMillis(), id -> beat());
        });
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return pool.close();
    }

    private void onJob(Message<WorkJob> msg) {
        WorkJob job = msg.body();
        if (running.size() >= threads) {
            msg.fail(429, "worker " + workerId + " already trains " + threads + " job(s)");
            return;
        }
        running.put(job.jobId(), job);
        msg.reply("ok");
        LOG.info("job {}: run {}{}", job.jobId(), job.runId(), job.resumes() ? " resumes from " + job.files().get(0) : "");
        int perJob = Math.max(1, cores / threads);
        boolean capped = perJob < Runtime.getRuntime().availableProcessors();
        pool.executeBlocking(() -> {
            // jobs training at once share the cores: each job's thread gets its part of them, not all of them
            if (capped) {
                dev.cnnworkbench.core.engine.NativeBackend.limitThreads(perJob);
            }
            return executor.execute(job);
        }, false).onComplete(ar -> {
            running.remove(job.jobId());
            TrialOutcome outcome = ar.succeeded() ? ar.result() : new TrialOutcome(
                    job.trial() == null ? null : job.trial().sweepId(), job.trial() == null ? 0 : job.trial().trial(),
                    job.runId(), RunStatus.FAILED, Map.of(), String.valueOf(ar.cause().getMessage()));
            LOG.info("job {}: run {} {}", job.jobId(), outcome.runId(), outcome.status());
            report(new JobEnded(job.jobId(), workerId, outcome), 0);
            beat();
        });
    }

    /** Sends {@code ended} to the hub until it answers. */
    private void report(JobEnded ended, int tries) {
        unreported.add(ended.jobId());
        vertx.eventBus().request(WorkAddresses.ENDED, ended, new DeliveryOptions().setSendTimeout(10_000))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        unreported.remove(ended.jobId());
                        return;
                    }
                    if (tries % 15 == 0) {
                        LOG.warn("the hub did not take the end of run {} ({}); keeping it until a hub answers",
                                ended.outcome().runId(), ar.cause().getMessage());
                    }
                    vertx.setTimer(RETRY_MS, id -> report(ended, tries + 1));
                });
    }

    private void beat() {
        List<String> jobs = new ArrayList<>(running.keySet());
        List<String> runs = running.values().stream().map(WorkJob::runId).toList();
        WorkerBeat beat = new WorkerBeat(workerId, nodeId, Host.name(), threads, jobs, runs,
                home.toAbsolutePath().normalize().toString(), System.currentTimeMillis());
        vertx.eventBus().request(WorkAddresses.BEAT, beat, new DeliveryOptions().setSendTimeout(
                        WorkQueue.BEAT.toMillis() * 3))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        if (hubAway) {
                            LOG.info("the hub answers again");
                        }
                        hubAway = false;
                    } else if (ar.cause() instanceof ReplyException r && r.failureCode() == 410) {
                        LOG.error(r.getMessage());
                        vertx.cancelTimer(timer);
                        onGivenUp.run();
                    } else if (!hubAway) {
                        hubAway = true;
                        LOG.warn("no hub answers ({}); training goes on, and ends are kept until a hub is back",
                                ar.cause().getMessage());
                    }
                });
    }

    /** The jobs training now and the ends not yet taken by the hub; for tests and the worker's status line. */
    public int busy() {
        return running.size() + unreported.size();
    }
}
