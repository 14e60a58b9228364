package dev.cnnworkbench.cli;

import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code workbench demo}: trains the demo experiments (LeNet on a Fashion-MNIST subset, two optimizers)
 * into the store and says where everything went.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train the demo experiments into the data folder and show where the results went.")
final class DemoCommand implements Callable<Integer> {

    /** Each demo run: a spec under experiments/ and the overrides that size it for a demo. */
    private record DemoRun(String spec, List<String> overrides) {
    }

    private static final List<DemoRun> RUNS = List.of(
            new DemoRun("lenet5-fashion.json", List.of("train.epochs=1", "data.limit=6000", "name=\"lenet5-adam\"")),
            new DemoRun("lenet5-fashion.json", List.of("train.epochs=1", "data.limit=6000", "name=\"lenet5-nesterov\"",
                    "optimizer={\"type\": \"nesterov\", \"lr\": 0.01, \"momentum\": 0.9}")));

    @Option(names = "--experiments", paramLabel = "DIR",
            description = "folder of the demo specs (default: the repository's experiments/)")
    Path experiments;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() throws Exception {
        Path dir = experiments != null ? experiments : Path.of(System.getProperty("workbench.repo", ".")).resolve("experiments");
        PluginRegistry plugins = home.plugins();
        int failures = 0;
        for (DemoRun demo : RUNS) {
            Path spec = dir.resolve(demo.spec());
            if (!Files.isRegularFile(spec)) {
                throw new IllegalArgumentException("demo spec " + spec + " not found; pass --experiments DIR");
            }
            Experiment experiment = new SpecResolver(plugins).resolve(new SpecParser().parseFile(spec, demo.overrides()));
            System.err.println("\n== demo: " + experiment.spec().name() + " (" + spec + " " + demo.overrides() + ")");
            try {
                RunCommand.execute(experiment, home);
            } catch (RuntimeException e) {
                failures++;
            }
        }
        System.out.println();
        System.out.println("Results are in " + home.home().toAbsolutePath().normalize() + " (embedded H2 database under db/).");
        System.out.println("List them with:   ./workbench runs");
        System.out.println("As JSON:          ./workbench runs --format json");
        return failures == 0 ? 0 : 1;
    }
}
