package dev.cnnworkbench.cli;

import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.sweep.SweepCodecs;
import dev.cnnworkbench.core.sweep.TrackedTrials;
import dev.cnnworkbench.core.sweep.TrialWorker;
import dev.cnnworkbench.storage.RunQueries;
import io.vertx.core.eventbus.EventBus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What {@code sweep} needs in one process: a {@link LocalStack} that owns the database (the sweep reads its past
 * trials) and a {@link TrialWorker} on the same bus training up to {@code slots} trials at a time. Opened and closed
 * by the command's thread.
 */
final class SweepStack implements AutoCloseable {

    private final LocalStack stack;
    private final TrackedTrials trials;

    private SweepStack(LocalStack stack, TrackedTrials trials) {
        this.stack = stack;
        this.trials = trials;
    }

    /** Starts the owning stack, then deploys a trial worker whose runs keep their networks under the home. */
    static SweepStack start(HomeOptions home, SpecResolver resolver, int slots) {
        LocalStack stack = LocalStack.startOwner(home);
        SweepCodecs.register(stack.bus());
        TrackedTrials trials = new TrackedTrials(stack.bus(), resolver, Host.user(), stack.home());
        try {
            stack.vertx().deployVerticle(new TrialWorker(trials, slots)).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            stack.close();
            throw new IllegalStateException("cannot start the sweep's trial worker: " + e.getMessage(), e);
        }
        return new SweepStack(stack, trials);
    }

    EventBus bus() {
        return stack.bus();
    }

    RunQueries queries() {
        return stack.queries();
    }

    dev.cnnworkbench.storage.SweepStore sweeps() {
        return stack.sweeps();
    }

    String databaseUrl() {
        return stack.databaseUrl();
    }

    /** Records every trial still training as {@code INTERRUPTED}; for a shutdown hook. */
    int interruptAll(String reason) {
        return trials.interruptAll(reason);
    }

    /** Waits until everything published so far is committed. */
    void flush(Duration timeout) throws Exception {
        stack.flush(timeout);
    }

    @Override
    public void close() {
        stack.close();
    }
}
