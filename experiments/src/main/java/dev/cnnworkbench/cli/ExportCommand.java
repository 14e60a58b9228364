package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.HomeStore;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.storage.FilterException;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.StoreClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code workbench export}: the full-resolution metric histories of the selected runs as CSV (one row per point) or
 * JSON (per run and metric, its points), to standard output or a file. The run table itself is
 * {@code workbench runs --format csv|json}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export the metric histories of the selected runs, every point, as CSV or JSON.",
            "The run table (parameters, latest metrics) is 'runs --format csv|json'."})
final class ExportCommand implements Callable<Integer> {

    enum Format { csv, json }

    @Option(names = "--metrics", paramLabel = "NAME", split = ",", required = true,
            description = "the metrics to export, e.g. train_loss,val_accuracy")
    List<String> metrics;

    @Option(names = "--format", defaultValue = "csv", description = "csv or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "write here instead of standard output")
    Path out;

    @Mixin
    RunSelection selection;

    @Mixin
    HomeOptions home;

    /** The points of one metric of one run. */
    private record Series(RunSummary run, String metric, List<MetricPoint> points) {
    }

    @Override
    public Integer call() throws IOException {
        List<Series> series = new ArrayList<>();
        try (HomeStore opened = HomeStore.open(home)) {
            StoreClient queries = opened.store();
            for (RunSummary run : queries.find(selection.query()).runs()) {
                for (String metric : metrics) {
                    series.add(new Series(run, metric, queries.history(run.id(), metric)));
                }
            }
        } catch (FilterException e) {
            return RunSelection.report(e);
        }
        String text = format == Format.csv ? csv(series) : json(series);
        if (out == null) {
            System.out.print(text);
        } else {
            Files.writeString(out, text, StandardCharsets.UTF_8);
            long points = series.stream().mapToLong(s -> s.points().size()).sum();
            System.err.println("wrote " + points + " points of " + series.stream().map(s -> s.run().id()).distinct().count()
                    + " runs to " + out);
        }
        return 0;
    }

    private static String csv(List<Series> series) {
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter csv = new CSVPrinter(sb, CSVFormat.DEFAULT.builder()
                .setHeader("run_id", "run_name", "metric", "step", "epoch", "time", "value").get())) {
            for (Series s : series) {
                for (MetricPoint p : s.points()) {
                    csv.printRecord(s.run().id(), s.run().name(), s.metric(), p.step(), p.epoch(),
                            java.time.Instant.ofEpochMilli(p.time()), Double.toString(p.value()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    private static String json(List<Series> series) {
        JsonArray array = new JsonArray();
        for (Series s : series) {
            JsonArray points = new JsonArray();
            for (MetricPoint p : s.points()) {
                points.add(new JsonObject().put("step", p.step()).put("epoch", p.epoch())
                        .put("time", java.time.Instant.ofEpochMilli(p.time()).toString())
                        .put("value", RunFormats.number(p.value())));
            }
            array.add(new JsonObject().put("run", s.run().id()).put("name", s.run().name()).put("metric", s.metric())
                    .put("points", points));
        }
        return array.encodePrettily() + "\n";
    }
}
