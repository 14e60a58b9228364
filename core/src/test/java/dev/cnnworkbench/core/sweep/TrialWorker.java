package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.engine.StopRule;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.concurrent.TimeUnit;

/**
 * A test's trial trainer in the coordinator's process (the product's is the hub's work queue): answers
 * {@link SweepAddresses#TRIAL_RUN}: trains each requested trial on a pool of {@code slots} worker threads
 * (so up to that many at once; training never touches an event loop) and replies with its {@link TrialOutcome}.
 * Builds each trial's stop rules from the request: the explosion rule and, when the sweep has one, ASHA judged by
 * the sweep's coordinator over the bus. Deploy one per machine that should train trials.
 */
final class TrialWorker extends VerticleBase {

    private final TrialExecutor executor;
    private final int slots;
    private WorkerExecutor pool;
    private MessageConsumer<TrialRequest> consumer;

    /**
     * @param executor trains a trial
     * @param slots    trials trained at the same time, {@code >= 1}
     */
    TrialWorker(TrialExecutor executor, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, got " + slots);
        }
        this.executor = executor;
        this.slots = slots;
    }

    @Override
    public Future<?> start() {
        // Trials take minutes: no blocked-thread warnings for them.
        pool = vertx.createSharedWorkerExecutor("workbench-trials", slots, 30, TimeUnit.DAYS);
        consumer = vertx.eventBus().consumer(SweepAddresses.TRIAL_RUN, this::onTrial);
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        return consumer.unregister().eventually(() -> pool.close());
    }

    private void onTrial(Message<TrialRequest> msg) {
        TrialRequest request = msg.body();
        pool.executeBlocking(() -> executor.execute(request, stopRule(request)), false).onComplete(ar -> {
            if (ar.succeeded()) {
                msg.reply(ar.result());
            } else {
                msg.fail(500, "trial " + request.trial() + " of " + request.sweepId() + " could not run: "
                        + ar.cause().getMessage());
            }
        });
    }

    StopRule stopRule(TrialRequest request) {
        return TrialStopRules.of(vertx.eventBus(), request);
    }
}
