package dev.cnnworkbench.core.bus;

/**
 * Command body at {@link Addresses#STORE_RUNS}: one page of runs, as the store's run query reads it.
 *
 * @param filter     a filter in the store's filter language; empty: every run
 * @param sort       a column, {@code params.PATH} or {@code metrics.NAME}
 * @param descending largest first
 * @param offset     runs to skip
 * @param limit      runs to return at most (0: only the total)
 */
public record RunsRequest(String filter, String sort, boolean descending, int offset, int limit) {
}
