package dev.cnnworkbench.core.sweep;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a sweep's coordinator, over the event bus, whether a trial goes on past a rung. Blocks the calling thread
 * (a training thread, never an event loop) until the answer comes. When no answer comes, the trial goes on: an
 * unreachable judge must not cost a trial its budget.
 */
public final class BusRungDecider implements RungDecider {

    private static final Logger LOG = LoggerFactory.getLogger(BusRungDecider.class);

    private final EventBus bus;
    private final String sweepId;
    private final Duration timeout;

    public BusRungDecider(EventBus bus, String sweepId, Duration timeout) {
        this.bus = bus;
        this.sweepId = sweepId;
        this.timeout = timeout;
    }

    @Override
    public RungDecision report(int trial, int epochs, double value) {
        try {
            return bus.<RungDecision>request(SweepAddresses.rung(sweepId), new RungReport(sweepId, trial, epochs, value),
                            new DeliveryOptions().setSendTimeout(timeout.toMillis()))
                    .toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).body();
        } catch (ExecutionException | TimeoutException e) {
            String why = e instanceof ExecutionException ? String.valueOf(e.getCause().getMessage()) : "timed out";
            LOG.warn("sweep {} did not judge trial {} at the rung after {} epochs ({}); it goes on", sweepId, trial,
                    epochs, why);
            return new RungDecision(true, "no answer from the sweep: " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RungDecision(true, "interrupted while waiting for the sweep");
        }
    }
}
