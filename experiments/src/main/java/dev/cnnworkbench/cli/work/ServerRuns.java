package dev.cnnworkbench.cli.work;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.engine.TrackedRun;
import dev.cnnworkbench.core.engine.TrainingProgress;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.data.DataException;
import dev.cnnworkbench.core.experiment.HomeCheck;
import dev.cnnworkbench.core.experiment.Preflight;
import dev.cnnworkbench.web.RunLauncher;
import io.vertx.core.eventbus.EventBus;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs a {@code serve} process trains for its web API ({@code POST /api/runs}): each spec parsed and resolved like
 * {@code workbench run} (every problem a SpecException with its JSON path), then trained as a {@link TrackedRun} of the
 * calling user on a thread of this class's own pool, publishing on the server's bus, so it is stored, streamed and
 * kept (its network under {@code HOME/artifacts}) like any run. At most {@code slots} train at once; a start beyond
 * that is refused ({@link RunLauncher.Unavailable}), not queued, so the page that asked is told at once.
 * {@link #startRun} returns once the run's start is published (or fails, when this machine cannot train). Sweeps are
 * {@link ServerSweeps}' job. Thread-safe; {@link #close} records the runs still training as INTERRUPTED.
 */
public final class ServerRuns implements RunLauncher, AutoCloseable {

    static final long START_TIMEOUT_SECONDS = 120;
    private static final Logger LOG = LoggerFactory.getLogger(ServerRuns.class);

    private final EventBus bus;
    private final SpecResolver resolver;
    private final Path home;
    private final int slots;
    private final Semaphore free;
    private final ExecutorService pool;
    private final Set<TrackedRun> active = ConcurrentHashMap.newKeySet();
    private final ServerSweeps sweeps;

    /**
     * @param home  the data folder whose {@code artifacts/} keeps each run's network
     * @param slots runs trained at the same time in this process, {@code >= 0} (0: only by the hub's workers)
     * @param sweeps where sweeps go; {@code null}: sweeps cannot be started here
     */
    public ServerRuns(EventBus bus, PluginRegistry plugins, Path home, int slots, ServerSweeps sweeps) {
        if (slots < 0) {
            throw new IllegalArgumentException("slots must be >= 0, got " + slots);
        }
        this.bus = bus;
        this.resolver = new SpecResolver(plugins);
        this.home = home;
        this.slots = slots;
        this.free = new Semaphore(slots);
        this.sweeps = sweeps;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "workbench-web-run-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Trains the run in this process, or, once workers have joined this hub, queues it for them (its id is returned at
     * once, and it starts when a worker is free).
     */
    @Override
    public String startRun(JsonNode spec, String user) {
        Experiment experiment = Preflight.spec(spec, List.of(), "run", resolver);
        if (sweeps != null && sweeps.hub().remoteWorkers() > 0) {
            var accepted = sweeps.hub().submit(dev.cnnworkbench.core.spec.SpecJson.write(experiment.spec()), user);
            LOG.info("run {} started from the web is queued for the hub's workers ({} ahead)", accepted.runId(),
                    accepted.ahead());
            return accepted.runId();
        }
        if (slots == 0) {
            throw new Unavailable("this server trains no run itself (serve --web-runs 0) and no worker has joined it;"
                    + " start one with './workbench worker --join ADDRESS' (the address serve printed)");
        }
        if (!free.tryAcquire()) {
            throw new Unavailable("this server already trains " + slots + " run" + (slots == 1 ? "" : "s")
                    + " started from the dashboard (serve --web-runs); try again when one has ended");
        }
        dev.cnnworkbench.core.engine.DataSplit data;
        try {
            // With a slot held, so that posted specs read the data no more often at once than runs train.
            // model.init may read only runs and files of this home: a posted spec must not probe the server's files.
            data = Preflight.beforeRecording(experiment, home, home);
        } catch (HomeCheck.Unusable | DataException e) {
            free.release();
            throw new Unavailable("this server cannot train this run: " + e.getMessage());
        } catch (RuntimeException | Error e) {
            free.release();
            throw e;
        }
        TrackedRun run = new TrackedRun(bus, experiment, user, home).usingData(data);
        CompletableFuture<Void> started = new CompletableFuture<>();
        try {
            pool.execute(() -> train(run, started));
        } catch (RuntimeException e) {
            free.release();
            throw new Unavailable("this server is stopping");
        }
        try {
            started.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof dev.cnnworkbench.core.bus.RunStartAck.Refused refused) {
                throw new Unavailable(refused.getMessage() + "; nothing was trained");
            }
            throw new Unavailable("this server cannot train: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            LOG.warn("run {} has not started after {} s; it goes on starting", run.runId(), START_TIMEOUT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return run.runId();
    }

    @Override
    public SweepStarted startSweep(JsonNode spec, String user) {
        if (sweeps == null) {
            return RunLauncher.super.startSweep(spec, user);
        }
        return sweeps.start(spec, user);
    }

    /** On a pool thread: trains to the end; {@code started} completes once the start is published, or fails before. */
    private void train(TrackedRun run, CompletableFuture<Void> started) {
        active.add(run);
        try {
            run.execute(new TrainingProgress() {
                @Override
                public void recorded() {
                    started.complete(null); // the run can be looked up from now: the 202 may go out
                }
            });
            LOG.info("run {} started from the web has ended", run.runId());
        } catch (RuntimeException | Error e) {
            started.completeExceptionally(e);
            LOG.warn("run {} started from the web failed: {}", run.runId(), e.getMessage());
        } finally {
            started.complete(null); // no-op once completed; never leaves startRun waiting
            active.remove(run);
            free.release();
        }
    }

    /** Records the runs still training as INTERRUPTED and stops the pool. */
    @Override
    public void close() {
        for (TrackedRun run : active) {
            run.end(RunStatus.INTERRUPTED, "the server stopped while it trained");
        }
        if (sweeps != null) {
            sweeps.close();
        }
        pool.shutdownNow();
    }
}
