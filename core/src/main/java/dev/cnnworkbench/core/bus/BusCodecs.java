package dev.cnnworkbench.core.bus;

import io.vertx.core.Vertx;
import java.util.List;

/** Registers the codecs of every message record. Call once per {@link Vertx} instance, before deploying. */
public final class BusCodecs {

    private static final List<Class<? extends Record>> MESSAGES =
            List.of(RunStarted.class, MetricBatch.class, RunEnded.class, RunWarning.class, RunArtifact.class,
                    SweepDefined.class, RungJudged.class, EnsembleRecorded.class, IngestBatch.class, RunsRequest.class,
                    HistoryRequest.class, ChecksRecorded.class);

    private BusCodecs() {
    }

    public static void register(Vertx vertx) {
        for (Class<? extends Record> type : MESSAGES) {
            registerOne(vertx, type);
        }
    }

    private static <T extends Record> void registerOne(Vertx vertx, Class<T> type) {
        vertx.eventBus().registerDefaultCodec(type, new RecordCodec<>(type));
    }
}
