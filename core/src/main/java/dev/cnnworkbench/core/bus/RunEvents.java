package dev.cnnworkbench.core.bus;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * The events of a run that a process hands to its home's hub ({@link IngestBatch}): for each, the bus address it is
 * published at, the record it carries and the run it belongs to. The hub publishes them on its own bus at that
 * address, so its storage and live stream see them exactly as a run trained in the hub's process.
 */
public enum RunEvents {
    RUN_STARTED(Addresses.RUN_STARTED, RunStarted.class, r -> ((RunStarted) r).runId()),
    METRICS(Addresses.METRICS, MetricBatch.class, r -> ((MetricBatch) r).runId()),
    RUN_WARNING(Addresses.RUN_WARNING, RunWarning.class, r -> ((RunWarning) r).runId()),
    RUN_ARTIFACT(Addresses.RUN_ARTIFACT, RunArtifact.class, r -> ((RunArtifact) r).runId()),
    SWEEP_DEFINED(Addresses.SWEEP_DEFINED, SweepDefined.class, r -> null),
    SWEEP_RUNG(Addresses.SWEEP_RUNG, RungJudged.class, r -> null),
    ENSEMBLE_RECORDED(Addresses.ENSEMBLE_RECORDED, EnsembleRecorded.class, r -> ((EnsembleRecorded) r).runId()),
    RUN_ENDED(Addresses.RUN_ENDED, RunEnded.class, r -> ((RunEnded) r).runId());

    private final String address;
    private final Class<? extends Record> type;
    private final Function<Record, String> runId;

    RunEvents(String address, Class<? extends Record> type, Function<Record, String> runId) {
        this.address = address;
        this.type = type;
        this.runId = runId;
    }

    /** Where it is published: an address of {@link Addresses}. */
    public String address() {
        return address;
    }

    /** The record it carries. */
    public Class<? extends Record> type() {
        return type;
    }

    /** The run {@code event} (of this type) belongs to; null for a sweep's events. */
    public String runId(Record event) {
        return runId.apply(event);
    }

    /** The event published at {@code address}; empty for an address that is no run event. */
    public static Optional<RunEvents> at(String address) {
        return Arrays.stream(values()).filter(t -> t.address.equals(address)).findFirst();
    }
}
