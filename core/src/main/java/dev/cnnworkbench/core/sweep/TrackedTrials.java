package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.SweepTrialRef;
import dev.cnnworkbench.core.engine.StopRule;
import dev.cnnworkbench.core.engine.TrackedRun;
import dev.cnnworkbench.core.engine.TrainingProgress;
import dev.cnnworkbench.core.engine.TrainingResult;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecParser;
import io.vertx.core.eventbus.EventBus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each trial as an ordinary {@link TrackedRun}: parsed and resolved like {@code workbench run}, published on
 * the event bus (so the trial lands in the store like any run), with the sweep's stop rules. Thread-safe.
 */
public final class TrackedTrials implements TrialExecutor {

    private final EventBus bus;
    private final SpecResolver resolver;
    private final String user;
    private final Path home;
    private final Set<TrackedRun> active = ConcurrentHashMap.newKeySet();

    /**
     * @param bus      where the trial runs publish
     * @param resolver finds the plugins a trial's spec names
     * @param user     who the runs are attributed to
     * @param home     the data folder whose {@code artifacts/} keeps each trial's network, or {@code null} for none
     */
    public TrackedTrials(EventBus bus, SpecResolver resolver, String user, Path home) {
        this.bus = bus;
        this.resolver = resolver;
        this.user = user;
        this.home = home;
    }

    @Override
    public TrialOutcome execute(TrialRequest request, StopRule stopRule) {
        Experiment experiment;
        try {
            experiment = resolver.resolve(new SpecParser().parse(
                    SpecJson.readTree(request.specJson(), "trial " + request.trial()), List.of(), "trial"));
        } catch (SpecException e) {
            return new TrialOutcome(request.sweepId(), request.trial(), null, RunStatus.FAILED, Map.of(),
                    "invalid trial spec: " + e.getMessage().replace('\n', ';'));
        }
        TrackedRun run = new TrackedRun(bus, experiment, user, home,
                new SweepTrialRef(request.sweepId(), request.trial()));
        active.add(run);
        try {
            TrainingResult result = run.execute(TrainingProgress.NONE, stopRule);
            return new TrialOutcome(request.sweepId(), request.trial(), run.runId(),
                    result.stopReason() == null ? RunStatus.FINISHED : RunStatus.STOPPED, result.finalMetrics(),
                    result.stopReason());
        } catch (RuntimeException | Error e) {
            // TrackedRun has already recorded the run FAILED with this message.
            return new TrialOutcome(request.sweepId(), request.trial(), run.runId(), RunStatus.FAILED, Map.of(),
                    e.getMessage() == null ? e.getClass().getName() : e.getMessage());
        } finally {
            active.remove(run);
        }
    }

    /** Records every trial still training as {@code INTERRUPTED} (a shutdown hook's job); returns how many. */
    public int interruptAll(String reason) {
        int n = 0;
        for (TrackedRun run : active) {
            run.end(RunStatus.INTERRUPTED, reason);
            n++;
        }
        return n;
    }
}
