package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.engine.StopRule;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Answers {@link SweepAddresses#TRIAL_RUN}: trains each requested trial on a pool of {@code slots} worker threads
 * (so up to that many at once; training never touches an event loop) and replies with its {@link TrialOutcome}.
 * Builds each trial's stop rules from the request: the explosion rule and, when the sweep has one, ASHA judged by
 * the sweep's coordinator over the bus. Deploy one per machine that should train trials.
 */
public final class TrialWorker extends VerticleBase {

    /** How long a trial may wait for its coordinator's answer at a rung. */
    static final Duration RUNG_TIMEOUT = Duration.ofMinutes(2);

    private final TrialExecutor executor;
    private final int slots;
    private WorkerExecutor pool;
    private MessageConsumer<TrialRequest> consumer;

    /**
     * @param executor trains a trial
     * @param slots    trials trained at the same time, {@code >= 1}
     */
    public TrialWorker(TrialExecutor executor, int slots) {
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
        return stopRule(vertx.eventBus(), request);
    }

    /**
     * The stop rules of one trial: a fresh explosion rule (it remembers the first loss) and ASHA, judged by the sweep's
     * coordinator over {@code bus}. For whoever trains a trial (this worker, or a worker of the hub's queue).
     */
    public static StopRule stopRule(io.vertx.core.eventbus.EventBus bus, TrialRequest request) {
        List<StopRule> rules = new ArrayList<>();
        if (request.explosionFactor() > 0) {
            rules.add(new ExplosionRule(request.explosionFactor()));
        }
        if (request.asha() != null) {
            int epochs = epochs(request.specJson());
            rules.add(new AshaRule(request.asha(), request.objectiveMetric(), request.trial(), epochs,
                    new BusRungDecider(bus, request.sweepId(), RUNG_TIMEOUT)));
        }
        return StopRules.firstOf(rules);
    }

    private static int epochs(String specJson) {
        var train = dev.cnnworkbench.core.spec.SpecJson.readTree(specJson, "trial").path("train").path("epochs");
        return train.isIntegralNumber() ? train.asInt() : 1;
    }
}
