package dev.cnnworkbench.cli;

import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code workbench runs}: the recorded runs as a table, JSON or CSV. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List recorded runs, newest first.")
final class RunsCommand implements Callable<Integer> {

    enum Format { table, json, csv }

    @Option(names = "--format", defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE})")
    Format format;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() throws Exception {
        List<RunSummary> runs;
        try (Database db = LocalStack.openDatabase(home)) {
            runs = new RunQueries(db).listRuns();
        }
        String out = switch (format) {
            case json -> RunFormats.json(runs);
            case csv -> RunFormats.csv(runs);
            case table -> RunFormats.table(runs);
        };
        System.out.print(out);
        return 0;
    }
}
