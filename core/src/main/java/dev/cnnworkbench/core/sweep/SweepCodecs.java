package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.bus.RecordCodec;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/**
 * Registers the codecs of the sweep and work-queue messages on an event bus, before deploying a worker or coordinator. Idempotent: a
 * bus may carry both a server's sweeps and a sweep of its own process (the demo).
 */
public final class SweepCodecs {

    private static final List<Class<? extends Record>> MESSAGES =
            List.of(TrialRequest.class, TrialOutcome.class, RungReport.class, RungDecision.class, WorkJob.class,
                    WorkerBeat.class, JobEnded.class, JobAccepted.class, RunRequest.class, FileChunk.class, FileRead.class,
                    WorkerList.class);

    private SweepCodecs() {
    }

    public static void register(EventBus bus) {
        for (Class<? extends Record> type : MESSAGES) {
            registerOne(bus, type);
        }
    }

    private static <T extends Record> void registerOne(EventBus bus, Class<T> type) {
        bus.unregisterDefaultCodec(type);
        bus.registerDefaultCodec(type, new RecordCodec<>(type));
    }
}
