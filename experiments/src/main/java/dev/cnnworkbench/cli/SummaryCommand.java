package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.spec.SpecParser;
import dev.cnnworkbench.core.summary.LayerSummary;
import dev.cnnworkbench.core.summary.ModelSummary;
import dev.cnnworkbench.core.summary.ReceptiveField;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code workbench summary SPEC}: the model's layer table, computed from its configuration without training. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print a spec's layers with output shape, learnable parameters and multiply-adds, then the"
                + " totals and the receptive field. Nothing is trained or initialised.")
final class SummaryCommand implements Callable<Integer> {

    enum Format { table, json }

    @Parameters(index = "0", paramLabel = "SPEC", description = "experiment spec (JSON)")
    Path spec;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "override a spec value, e.g. --set model.input=[3,32,32]")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--classes", defaultValue = "10",
            description = "classes in the data, for an output layer with units 0 (default: ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() {
        Experiment experiment = new SpecResolver(home.plugins()).resolve(new SpecParser().parseFile(spec, overrides));
        ModelSummary summary = ModelSummary.of(experiment, classes);
        System.out.print(format == Format.json ? json(experiment.spec().name(), summary)
                : table(experiment.spec().name(), summary));
        return 0;
    }

    static String json(String name, ModelSummary s) {
        JsonArray layers = new JsonArray();
        for (LayerSummary l : s.layers()) {
            layers.add(new JsonObject().put("name", l.name()).put("type", l.type())
                    .put("outputShape", new JsonArray(List.copyOf(l.outputShape())))
                    .put("params", l.params()).put("macs", l.macs())
                    .put("vertices", new JsonArray(List.copyOf(l.vertices()))));
        }
        ReceptiveField rf = s.receptiveField();
        return new JsonObject().put("name", name)
                .put("input", new JsonArray(List.copyOf(s.input())))
                .put("layers", layers)
                .put("totalParams", s.totalParams())
                .put("totalMacs", s.totalMacs())
                .put("storedValues", s.storedValues())
                .put("receptiveField", rf == null ? null
                        : new JsonObject().put("layer", rf.layer()).put("height", rf.height()).put("width", rf.width()))
                .put("note", ModelSummary.COUNTING_NOTE)
                .encodePrettily() + "\n";
    }

    static String table(String name, ModelSummary s) {
        String row = "%-14s %-14s %-18s %,14d %,18d%n";
        StringBuilder sb = new StringBuilder();
        sb.append(name).append('\n');
        sb.append(String.format(Locale.ROOT, "%-14s %-14s %-18s %14s %18s%n", "layer", "type", "output", "params", "MACs"));
        sb.append(String.format(Locale.ROOT, "%-14s %-14s %s%n", "input", "",
                s.input().stream().map(String::valueOf).collect(Collectors.joining(" x "))));
        for (LayerSummary l : s.layers()) {
            sb.append(String.format(Locale.ROOT, row, l.name(), l.type(), l.shapeText(), l.params(), l.macs()));
        }
        sb.append(String.format(Locale.ROOT, row, "total", "", "", s.totalParams(), s.totalMacs()));
        ReceptiveField rf = s.receptiveField();
        if (rf != null) {
            sb.append(String.format(Locale.ROOT, "receptive field of %s: %d x %d input pixels%n", rf.layer(),
                    rf.height(), rf.width()));
        }
        if (s.storedValues() != s.totalParams()) {
            sb.append(String.format(Locale.ROOT, "DL4J stores %,d values (%,d of them batchnorm running statistics)%n",
                    s.storedValues(), s.storedValues() - s.totalParams()));
        }
        sb.append(ModelSummary.COUNTING_NOTE).append('\n');
        return sb.toString();
    }
}
