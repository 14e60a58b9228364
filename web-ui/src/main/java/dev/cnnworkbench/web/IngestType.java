package dev.cnnworkbench.web;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.EnsembleRecorded;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunWarning;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The events {@code POST /api/ingest} carries, shared by the endpoint and the processes that send to it: for each,
 * the envelope's {@code "type"}, the bus address it is published at and the record its {@code "body"} is.
 */
public enum IngestType {
    RUN_STARTED("run-started", Addresses.RUN_STARTED, RunStarted.class, r -> ((RunStarted) r).runId()),
    METRICS("metrics", Addresses.METRICS, MetricBatch.class, r -> ((MetricBatch) r).runId()),
    RUN_WARNING("run-warning", Addresses.RUN_WARNING, RunWarning.class, r -> ((RunWarning) r).runId()),
    RUN_ARTIFACT("run-artifact", Addresses.RUN_ARTIFACT, RunArtifact.class, r -> ((RunArtifact) r).runId()),
    ENSEMBLE_RECORDED("ensemble-recorded", Addresses.ENSEMBLE_RECORDED, EnsembleRecorded.class,
            r -> ((EnsembleRecorded) r).runId()),
    RUN_ENDED("run-ended", Addresses.RUN_ENDED, RunEnded.class, r -> ((RunEnded) r).runId());

    private final String wireName;
    private final String address;
    private final Class<? extends Record> type;
    private final Function<Record, String> runId;

    IngestType(String wireName, String address, Class<? extends Record> type, Function<Record, String> runId) {
        this.wireName = wireName;
        this.address = address;
        this.type = type;
        this.runId = runId;
    }

    /** The envelope's {@code "type"}, e.g. {@code run-started}. */
    public String wireName() {
        return wireName;
    }

    /** Where it is published: a bus address of {@link Addresses}. */
    public String address() {
        return address;
    }

    /** The record of the envelope's body. */
    public Class<? extends Record> type() {
        return type;
    }

    /** The run an event of this type belongs to. */
    String runId(Record event) {
        return runId.apply(event);
    }

    /** The type of an envelope's {@code "type"}; empty for an unknown name. */
    public static Optional<IngestType> byWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    /** The wire names, quoted, for messages: {@code "run-started", "metrics", ...}. */
    static String wireNames() {
        return Arrays.stream(values()).map(t -> "\"" + t.wireName + "\"").collect(Collectors.joining(", "));
    }
}
