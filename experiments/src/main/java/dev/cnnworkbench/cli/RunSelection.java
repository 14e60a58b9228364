package dev.cnnworkbench.cli;

import dev.cnnworkbench.storage.RunQuery;
import picocli.CommandLine.Option;

/** Which runs a command reads, in what order, how many: the store's filter, sort and limit. Shared by commands. */
final class RunSelection {

    @Option(names = "--filter", paramLabel = "EXPR", description = "only the runs this filter keeps, e.g."
            + " \"params.optimizer.lr < 0.01 and metrics.val_accuracy > 0.85\"")
    String filter;

    @Option(names = "--sort", paramLabel = "KEY", defaultValue = RunQuery.DEFAULT_SORT,
            description = "a column, params.PATH or metrics.NAME (default: ${DEFAULT-VALUE}); runs without it come last")
    String sort;

    @Option(names = "--asc", description = "smallest first (default: largest, i.e. newest, first)")
    boolean ascending;

    @Option(names = "--limit", paramLabel = "N", description = "at most N runs (default: all)")
    Integer limit;

    RunQuery query() {
        return new RunQuery(filter, sort, !ascending, 0, limit == null ? Integer.MAX_VALUE : limit);
    }

    /** Prints a filter error with a caret under the offending token; returns exit code 2. */
    static int report(dev.cnnworkbench.storage.FilterException e) {
        System.err.println("error: " + e.getMessage().replace(" in: " + e.filter(), "") + "\n  "
                + e.pointer().replace("\n", "\n  "));
        return 2;
    }
}
