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
 * by the command's thread. {@link #start} opens a stack of its own (closed with this); {@link #attach} uses one the
 * caller keeps (the demo's), and closing this only takes its trial worker away.
 */
final class SweepStack implements AutoCloseable {

    private final LocalStack stack;
    private final TrackedTrials trials;
    private final String worker;
    private final boolean ownsStack;

    private SweepStack(LocalStack stack, TrackedTrials trials, String worker, boolean ownsStack) {
        this.stack = stack;
        this.trials = trials;
        this.worker = worker;
        this.ownsStack = ownsStack;
    }

    /** Starts the owning stack, then deploys a trial worker whose runs keep their networks under the home. */
    static SweepStack start(HomeOptions home, SpecResolver resolver, int slots) {
        LocalStack stack = LocalStack.startOwner(home);
        try {
            return attach(stack, resolver, slots, true);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** Deploys a trial worker on {@code stack}, which must own its home's database and stays the caller's to close. */
    static SweepStack attach(LocalStack stack, SpecResolver resolver, int slots) {
        return attach(stack, resolver, slots, false);
    }

    private static SweepStack attach(LocalStack stack, SpecResolver resolver, int slots, boolean ownsStack) {
        SweepCodecs.register(stack.bus());
        TrackedTrials trials = new TrackedTrials(stack.bus(), resolver, Host.user(), stack.home());
        try {
            // Trials training at once share the cores: each trial thread gets its part of them, not all of them.
            int threads = dev.cnnworkbench.core.engine.NativeBackend.threadsPerTrial(slots);
            dev.cnnworkbench.core.sweep.TrialExecutor sharing = (request, stopRule) -> {
                dev.cnnworkbench.core.engine.NativeBackend.limitThreads(threads);
                return trials.execute(request, stopRule);
            };
            String worker = stack.vertx().deployVerticle(new TrialWorker(sharing, slots)).await(30, TimeUnit.SECONDS);
            return new SweepStack(stack, trials, worker, ownsStack);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the sweep's trial worker: " + e.getMessage(), e);
        }
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
        if (ownsStack) {
            stack.close();
            return;
        }
        try {
            stack.vertx().undeploy(worker).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: the sweep's trial worker did not stop: " + e.getMessage());
        }
    }
}
