package dev.cnnworkbench.cli;

import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.FilterException;
import dev.cnnworkbench.storage.RunPage;
import dev.cnnworkbench.storage.RunQueries;
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

    @Mixin
    RunSelection selection;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() throws Exception {
        RunPage page;
        try (Database db = LocalStack.openDatabase(home)) {
            page = new RunQueries(db).find(selection.query());
        } catch (FilterException e) {
            return RunSelection.report(e);
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
