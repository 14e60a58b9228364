package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.ProcessBuses;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.RungJudged;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives one sweep over the event bus: sends its trials as {@link SweepAddresses#TRIAL_RUN} requests, at most
 * {@code parallel} outstanding at a time, to the hub's work queue, which hands them to workers (in this process or,
 * on the clustered bus, on other machines), and judges the trials' ASHA rungs on {@link SweepAddresses#rung(String)}
 * from its {@link RungTable}. Nothing here blocks: {@link #run} returns at once with a future of the results.
 * One instance per sweep run.
 */
public final class SweepCoordinator {

    /**
     * The longest one trial may train. Not how a lost trial is noticed: the hub's work queue
     * ({@code dev.cnnworkbench.core.worker.WorkQueue}) notices a lost worker within seconds (cluster membership and
     * heartbeats) and hands its trial to another worker, which resumes it; the reply comes when the trial ends.
     */
    static final long TRIAL_TIMEOUT_MS = TimeUnit.DAYS.toMillis(7);

    /** Told as trials start and end; called on event-loop threads, so it must be quick. */
    public interface Listener {

        Listener NONE = new Listener() { };

        default void started(Trial trial) {
        }

        default void ended(TrialResult result) {
        }
    }

    private final ProcessBuses buses;
    private final SweepFile file;
    private final RungTable rungs;
    private final Listener listener;
    private final String user;

    /**
     * @param rungs the sweep's rung table (seeded with earlier sessions' trials when resuming), or {@code null}
     *              when the sweep has no early stopping
     * @param user  who runs the sweep (its record says so)
     * @param buses the sweep's records go to the local bus; its trials and rung decisions travel on the cluster's
     */
    public SweepCoordinator(ProcessBuses buses, SweepFile file, RungTable rungs, Listener listener, String user) {
        this.buses = buses;
        this.file = file;
        this.rungs = rungs;
        this.listener = listener;
        this.user = user;
    }

    /** As above, run by this process's user. */
    public SweepCoordinator(EventBus bus, SweepFile file, RungTable rungs, Listener listener) {
        this(ProcessBuses.single(bus), file, rungs, listener, dev.cnnworkbench.core.env.Host.user());
    }

    /**
     * Publishes the sweep's definition ({@link Addresses#SWEEP_DEFINED}), then runs {@code trials} (a sweep's pending
     * ones), publishing each rung judgement ({@link Addresses#SWEEP_RUNG}); the future holds one result per trial, in
     * completion order.
     */
    public Future<List<TrialResult>> run(List<Trial> trials) {
        Promise<List<TrialResult>> done = Promise.promise();
        buses.local().publish(Addresses.SWEEP_DEFINED, SweepRecords.definition(file, user, System.currentTimeMillis()));
        MessageConsumer<RungReport> judge = rungs == null ? null
                : buses.cluster().<RungReport>consumer(SweepAddresses.rung(file.id()), msg -> {
                    RungReport r = msg.body();
                    RungJudged j = rungs.judge(file.id(), r.trial(), r.epochs(), r.value(), System.currentTimeMillis());
                    buses.local().publish(Addresses.SWEEP_RUNG, j);
                    msg.reply(new RungDecision(j.promoted(), j.reason()));
                });
        Future<Void> ready = judge == null ? Future.succeededFuture() : judge.completion();
        ready.onFailure(done::fail).onSuccess(v -> new Dispatch(trials, done).launch());
        return done.future().eventually(() -> judge == null ? Future.succeededFuture() : judge.unregister());
    }

    /** The trials in flight; its methods run on event-loop threads, hence synchronized. */
    private final class Dispatch {

        private final List<Trial> trials;
        private final Promise<List<TrialResult>> done;
        private final List<TrialResult> results = Collections.synchronizedList(new ArrayList<>());
        private int next;
        private int running;

        Dispatch(List<Trial> trials, Promise<List<TrialResult>> done) {
            this.trials = List.copyOf(trials);
            this.done = done;
        }

        synchronized void launch() {
            if (results.size() == trials.size()) {
                done.tryComplete(List.copyOf(results));
                return;
            }
            while (running < file.sweep().parallel() && next < trials.size()) {
                Trial trial = trials.get(next++);
                running++;
                listener.started(trial);
                TrialRequest request = new TrialRequest(file.id(), trial.number(), file.trialSpec(trial).toString(),
                        file.sweep().objective().metric(), file.sweep().explosionFactor(), file.sweep().earlyStop(), user);
                buses.cluster().<TrialOutcome>request(SweepAddresses.TRIAL_RUN, request,
                                new DeliveryOptions().setSendTimeout(TRIAL_TIMEOUT_MS))
                        .onComplete(ar -> ended(trial, ar.succeeded() ? outcome(trial, ar.result().body())
                                : new TrialResult(trial, null, RunStatus.FAILED, null, ar.cause().getMessage())));
            }
        }

        private TrialResult outcome(Trial trial, TrialOutcome o) {
            return new TrialResult(trial, o.runId(), o.status(), o.metrics().get(file.sweep().objective().metric()),
                    o.reason());
        }

        private void ended(Trial trial, TrialResult result) {
            synchronized (this) {
                running--;
                results.add(result);
            }
            listener.ended(result);
            launch();
        }
    }
}
