package dev.cnnworkbench.web;

import dev.cnnworkbench.core.bus.RunEvents;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The events {@code POST /api/ingest} carries, by the envelope's {@code "type"}: each one of the {@link RunEvents}
 * (its bus address, record and run id come from there). The HTTP ingest is for clients that cannot join the hub's
 * event bus (a script, another language); workbench processes use the bus.
 */
public enum IngestType {
    RUN_STARTED("run-started", RunEvents.RUN_STARTED),
    METRICS("metrics", RunEvents.METRICS),
    RUN_WARNING("run-warning", RunEvents.RUN_WARNING),
    RUN_ARTIFACT("run-artifact", RunEvents.RUN_ARTIFACT),
    ENSEMBLE_RECORDED("ensemble-recorded", RunEvents.ENSEMBLE_RECORDED),
    RUN_ENDED("run-ended", RunEvents.RUN_ENDED);

    private final String wireName;
    private final RunEvents event;

    IngestType(String wireName, RunEvents event) {
        this.wireName = wireName;
        this.event = event;
    }

    /** The envelope's {@code "type"}, e.g. {@code run-started}. */
    public String wireName() {
        return wireName;
    }

    /** Where it is published: a bus address of {@link dev.cnnworkbench.core.bus.Addresses}. */
    public String address() {
        return event.address();
    }

    /** The record of the envelope's body. */
    public Class<? extends Record> type() {
        return event.type();
    }

    /** The run an event of this type belongs to. */
    String runId(Record e) {
        return event.runId(e);
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
