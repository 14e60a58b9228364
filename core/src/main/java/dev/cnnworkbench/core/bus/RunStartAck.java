package dev.cnnworkbench.core.bus;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A trainer's wait for the store to acknowledge a run's start ({@link Addresses#RUN_RECORDED}), so that a run whose
 * start the store refuses never trains unrecorded. No storage on the bus (a trainer that only publishes, or one whose
 * runs are forwarded to a server) and a storage that does not answer in time let the run go on: only a refusal stops
 * it. Call from a thread that may block, never an event loop.
 */
public final class RunStartAck {

    /** How long a trainer waits for the store's answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** The store refused the run's start; the message is its reason. */
    public static final class Refused extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private RunStartAck() {
    }

    /**
     * Waits for the store's answer about run {@code runId}'s start.
     *
     * @throws Refused when the store refused it, with the store's reason
     */
    public static void await(EventBus bus, String runId) {
        try {
            bus.request(Addresses.RUN_RECORDED, runId, new DeliveryOptions().setSendTimeout(TIMEOUT.toMillis()))
                    .toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                throw new Refused("the store refused the start of run " + runId + ": " + r.getMessage());
            }
            // no storage listens on this bus, or it did not answer in time: the run is published all the same
        } catch (TimeoutException e) {
            // as above
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
