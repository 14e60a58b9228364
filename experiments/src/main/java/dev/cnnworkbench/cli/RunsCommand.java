package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.HomeStore;
import dev.cnnworkbench.storage.RunPage;
import dev.cnnworkbench.storage.RunQuery;
import dev.cnnworkbench.storage.StoreClient;
import dev.cnnworkbench.storage.filter.Field;
import dev.cnnworkbench.storage.filter.FilterParser;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code workbench runs}: the recorded runs as a table, JSON or CSV. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = {"List recorded runs, newest first.",
    "Filters combine comparisons of columns (status, name, experiment, user, tag, started_at, ...), params.PATH and"
        + " metrics.NAME with and, or, not, in (...), like and parentheses, e.g.",
    "  --filter \"params.optimizer.lr < 0.01 and metrics.val_accuracy > 0.85\"",
    "  --filter \"status in ('FINISHED', 'STOPPED') and name like 'lenet%%'\""})
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
        long recorded;
        try (HomeStore opened = HomeStore.open(home)) {
            StoreClient queries = opened.store();
            page = queries.find(selection.query());
            Field key = FilterParser.parseField(selection.sort);
            if (!page.runs().isEmpty() && !queries.anyRunHas(selection.sort)) {
                throw new IllegalArgumentException("--sort " + selection.sort + ": no run has " + key.display()
                        + known(page, key));
            }
            recorded = page.runs().isEmpty() && page.total() == 0 ? queries.find(RunQuery.all().page(0, 0)).total()
                    : page.total();
        }
        if (format == Format.table && page.runs().isEmpty() && recorded > 0) {
            if (page.total() == 0) {
                System.out.println("no run matches the filter " + selection.filter + " (" + recorded + " runs recorded)");
            } else {
                System.err.println("0 of " + page.total() + " matching runs shown");
            }
            return 0;
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

    /** The metrics or parameters the listed runs have, to name instead of {@code key}. */
    private static String known(RunPage page, Field key) {
        boolean metric = key instanceof Field.Metric;
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        page.runs().forEach(r -> names.addAll(metric ? r.metrics().keySet() : r.params().keySet()));
        if (names.isEmpty()) {
            return "";
        }
        return "; " + (metric ? "metrics" : "parameters") + " of these runs: " + names.stream().limit(20)
                .map(n -> (metric ? "metrics." : "params.") + n).collect(java.util.stream.Collectors.joining(", "))
                + (names.size() > 20 ? ", ..." : "");
    }
}
