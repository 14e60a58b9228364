package dev.cnnworkbench.cli;

import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.FilterException;
import dev.cnnworkbench.storage.RunPage;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunQuery;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code workbench runs}: the recorded runs as a table, JSON or CSV. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = {"List recorded runs, newest first.",
    "Filters combine comparisons of columns (status, name, experiment, user, tag, started_at, ...), params.PATH and"
        + " metrics.NAME with and, or, not, in (...), like and parentheses, e.g.",
    "  --filter \"params.optimizer.lr < 0.01 and metrics.val_accuracy > 0.85\"",
    "  --filter \"status in ('FINISHED', 'STOPPED') and name like 'lenet%'\""})
final class RunsCommand implements Callable<Integer> {

    enum Format { table, json, csv }

    @Option(names = "--format", defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--filter", paramLabel = "EXPR", description = "only the runs this filter keeps")
    String filter;

    @Option(names = "--sort", paramLabel = "KEY", defaultValue = RunQuery.DEFAULT_SORT,
            description = "a column, params.PATH or metrics.NAME (default: ${DEFAULT-VALUE}); runs without it come last")
    String sort;

    @Option(names = "--asc", description = "smallest first (default: largest, i.e. newest, first)")
    boolean ascending;

    @Option(names = "--limit", paramLabel = "N", description = "at most N runs (default: all)")
    Integer limit;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() throws Exception {
        RunPage page;
        try (Database db = LocalStack.openDatabase(home)) {
            page = new RunQueries(db).find(new RunQuery(filter, sort, !ascending, 0,
                    limit == null ? Integer.MAX_VALUE : limit));
        } catch (FilterException e) {
            System.err.println("error: " + e.getMessage().replace(" in: " + e.filter(), "") + "\n  " + e.pointer()
                    .replace("\n", "\n  "));
            return 2;
        }
        String out = switch (format) {
            case json -> RunFormats.json(page.runs());
            case csv -> RunFormats.csv(page.runs());
            case table -> RunFormats.table(page.runs());
        };
        System.out.print(out);
        if (format == Format.table && page.total() > page.runs().size()) {
            System.err.println(page.runs().size() + " of " + page.total() + " matching runs shown");
        }
        return 0;
    }
}
