package dev.cnnworkbench.storage;

/**
 * What runs to list, in what order, which page.
 *
 * @param filter     a filter in the language of {@link dev.cnnworkbench.storage.filter.FilterParser}; empty: every run
 * @param sort       a column ({@code started_at}, {@code name}, ...), {@code params.NAME} or {@code metrics.NAME};
 *                   runs without the parameter or metric come last in both directions
 * @param descending largest first
 * @param offset     runs to skip, {@code >= 0}
 * @param limit      runs to return at most, {@code >= 0} (0: only the total count)
 */
public record RunQuery(String filter, String sort, boolean descending, int offset, int limit) {

    public static final String DEFAULT_SORT = "started_at";

    public RunQuery {
        filter = filter == null ? "" : filter;
        sort = sort == null || sort.isBlank() ? DEFAULT_SORT : sort.trim();
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
    }

    /** Every run, newest first. */
    public static RunQuery all() {
        return new RunQuery("", DEFAULT_SORT, true, 0, Integer.MAX_VALUE);
    }

    /** The first {@code limit} runs matching {@code filter}, newest first. */
    public static RunQuery filter(String filter, int limit) {
        return new RunQuery(filter, DEFAULT_SORT, true, 0, limit);
    }

    public RunQuery withFilter(String newFilter) {
        return new RunQuery(newFilter, sort, descending, offset, limit);
    }

    public RunQuery sortedBy(String newSort, boolean newDescending) {
        return new RunQuery(filter, newSort, newDescending, offset, limit);
    }

    public RunQuery page(int newOffset, int newLimit) {
        return new RunQuery(filter, sort, descending, newOffset, newLimit);
    }
}
