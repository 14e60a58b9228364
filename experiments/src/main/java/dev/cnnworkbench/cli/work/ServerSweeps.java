package dev.cnnworkbench.cli.work;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.core.bus.ProcessBuses;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.sweep.RungTable;
import dev.cnnworkbench.core.sweep.SweepCoordinator;
import dev.cnnworkbench.core.sweep.SweepFile;
import dev.cnnworkbench.core.sweep.SweepResume;
import dev.cnnworkbench.core.sweep.Trial;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.SweepStore;
import dev.cnnworkbench.web.RunLauncher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweeps a {@code serve} process runs for its web API ({@code POST /api/sweeps}), as {@code workbench sweep} would:
 * the spec and every trial's spec checked before anything trains, the trials the store already holds done skipped (a
 * sweep posted again resumes), ASHA rungs seeded from them, and the rest sent by a {@link SweepCoordinator} to the
 * hub's work queue ({@link WorkHub}), which hands them to a worker of this process (up to {@code slots} trials at once,
 * whatever sweeps they belong to) and to the workers that joined the hub, each an ordinary run of the calling user;
 * one sweep id runs once at a time here. {@link #start} returns once
 * the trials are sent. Thread-safe.
 */
public final class ServerSweeps implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerSweeps.class);

    private final ProcessBuses buses;
    private final SpecResolver resolver;
    private final RunQueries queries;
    private final SweepStore sweeps;
    private final WorkHub hub;
    /** This process's own worker, or null when it trains nothing itself ({@code serve --web-runs 0}). */
    private final WorkHub.LocalWorker worker;
    /** Who started each sweep running here (one sweep id runs once at a time). */
    private final Map<String, String> userBySweep = new ConcurrentHashMap<>();

    /**
     * Deploys the hub's work queue on {@code stack}'s work bus if it has none, and a worker of this process training up to
     * {@code slots} trials at once ({@code 0}: none; workers that joined take them). Call from a thread that may wait.
     */
    public ServerSweeps(LocalStack stack, SpecResolver resolver, int slots) {
        this.resolver = resolver;
        this.queries = stack.queries();
        this.sweeps = stack.sweeps();
        this.hub = WorkHub.on(stack);
        this.buses = hub.buses();
        this.worker = slots > 0 ? hub.addWorker(resolver, slots) : null;
    }

    /** The hub's work queue this server's sweeps go through. */
    WorkHub hub() {
        return hub;
    }

    RunLauncher.SweepStarted start(JsonNode spec, String user) {
        SweepFile file = SweepFile.of(spec, List.of(), "sweep");
        List<Trial> trials = file.trials();
        SweepRuns.validate(file, trials, resolver);
        if (worker == null && hub.remoteWorkers() == 0) {
            throw new RunLauncher.Unavailable("this server trains nothing itself (serve --web-runs 0) and no worker has"
                    + " joined it; start one with './workbench worker --join ADDRESS' (the address serve printed)");
        }
        if (userBySweep.putIfAbsent(file.id(), user) != null) {
            throw new RunLauncher.Unavailable("sweep " + file.id() + " is already running on this server");
        }
        try {
            boolean asha = file.sweep().earlyStop() != null;
            SweepResume.State state = SweepResume.state(file, SweepRuns.past(new dev.cnnworkbench.storage.DirectStoreClient(queries.database()), file, asha));
            RungTable rungs = null;
            if (asha) {
                rungs = new RungTable(file.sweep().earlyStop(), file.sweep().objective());
                SweepRuns.seed(rungs, file, state);
            }
            List<Trial> todo = state.pending();
            new SweepCoordinator(buses, file, rungs, SweepCoordinator.Listener.NONE, user).run(todo)
                    .onComplete(ar -> {
                        userBySweep.remove(file.id());
                        LOG.info("sweep {} started from the web has ended{}", file.id(),
                                ar.failed() ? ": " + ar.cause().getMessage() : "");
                    });
            return new RunLauncher.SweepStarted(file.id(), todo.size());
        } catch (RuntimeException e) {
            userBySweep.remove(file.id());
            throw e;
        }
    }

    /** Records the trials still training in this process as INTERRUPTED (the sweep resumes when posted again). */
    @Override
    public void close() {
        if (worker != null) {
            worker.runner().interruptAll("the server stopped; start the sweep again to resume it");
        }
    }
}
