package dev.cnnworkbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.sweep.RungTable;
import dev.cnnworkbench.core.sweep.SweepCodecs;
import dev.cnnworkbench.core.sweep.SweepCoordinator;
import dev.cnnworkbench.core.sweep.SweepFile;
import dev.cnnworkbench.core.sweep.SweepResume;
import dev.cnnworkbench.core.sweep.TrackedTrials;
import dev.cnnworkbench.core.sweep.Trial;
import dev.cnnworkbench.core.sweep.TrialOutcome;
import dev.cnnworkbench.core.sweep.TrialRequest;
import dev.cnnworkbench.core.sweep.TrialWorker;
import dev.cnnworkbench.core.engine.StopRule;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.SweepStore;
import dev.cnnworkbench.web.RunLauncher;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweeps a {@code serve} process runs for its web API ({@code POST /api/sweeps}), as {@code workbench sweep} would:
 * the spec and every trial's spec checked before anything trains, the trials the store already holds done skipped (a
 * sweep posted again resumes), ASHA rungs seeded from them, and the rest sent by a {@link SweepCoordinator} to a
 * {@link TrialWorker} of this process, each an ordinary run of the calling user. The worker trains up to {@code slots}
 * trials at once, whatever sweeps they belong to; one sweep id runs once at a time here. {@link #start} returns once
 * the trials are sent. Thread-safe.
 */
final class ServerSweeps implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerSweeps.class);

    private final Vertx vertx;
    private final SpecResolver resolver;
    private final RunQueries queries;
    private final SweepStore sweeps;
    private final Path home;
    /** Who started each sweep running here: its trials' runs record that user. */
    private final Map<String, String> userBySweep = new ConcurrentHashMap<>();
    private final Map<String, TrackedTrials> trialsByUser = new ConcurrentHashMap<>();

    /** Deploys the trial worker on {@code vertx}'s bus (call from a thread that may wait, such as main). */
    ServerSweeps(Vertx vertx, SpecResolver resolver, RunQueries queries, SweepStore sweeps, Path home, int slots) {
        this.vertx = vertx;
        this.resolver = resolver;
        this.queries = queries;
        this.sweeps = sweeps;
        this.home = home;
        SweepCodecs.register(vertx.eventBus());
        try {
            vertx.deployVerticle(new TrialWorker(this::execute, slots)).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the trial worker for sweeps: " + e.getMessage(), e);
        }
    }

    RunLauncher.SweepStarted start(JsonNode spec, String user) {
        SweepFile file = SweepFile.of(spec, List.of(), "sweep");
        List<Trial> trials = file.trials();
        SweepCommand.validate(file, trials, resolver);
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
            new SweepCoordinator(vertx.eventBus(), file, rungs, SweepCoordinator.Listener.NONE, user).run(todo)
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

    private TrialOutcome execute(TrialRequest request, StopRule stopRule) {
        String user = userBySweep.getOrDefault(request.sweepId(), dev.cnnworkbench.core.env.Host.user());
        return trialsByUser.computeIfAbsent(user, u -> new TrackedTrials(vertx.eventBus(), resolver, u, home))
                .execute(request, stopRule);
    }

    /** Records the trials still training as INTERRUPTED (the sweep resumes when posted again). */
    @Override
    public void close() {
        trialsByUser.values().forEach(t -> t.interruptAll("the server stopped; start the sweep again to resume it"));
    }
}
