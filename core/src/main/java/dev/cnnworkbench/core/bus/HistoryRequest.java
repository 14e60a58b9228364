package dev.cnnworkbench.core.bus;

/** Command body at {@link Addresses#STORE_HISTORY}: every point of one metric of one run. */
public record HistoryRequest(String runId, String metric) {
}
