package dev.cnnworkbench.storage;

import java.util.List;

/**
 * One page of a {@link RunQuery}'s answer.
 *
 * @param runs   the runs of the page, in the query's order
 * @param total  how many runs match the filter, on all pages
 * @param offset the query's offset
 * @param limit  the query's limit
 */
public record RunPage(List<RunSummary> runs, long total, int offset, int limit) {

    public RunPage {
        runs = List.copyOf(runs);
    }

    /** Whether runs matching the filter follow this page. */
    public boolean hasMore() {
        return (long) offset + runs.size() < total;
    }
}
