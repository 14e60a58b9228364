package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.cli.work.ServerRuns;
import dev.cnnworkbench.cli.work.SweepRuns;
import dev.cnnworkbench.cli.work.SweepStack;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.Preflight;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.sweep.SweepFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code workbench demo}: starts the dashboard, trains the demo experiments while the browser watches (LeNet on a
 * Fashion-MNIST subset with two optimizers, a small seeded sweep, a snapshot ensemble of 3 cycles), so that every page
 * has something to show, says where everything went, and keeps serving until Ctrl-C (or exits, with {@code --exit}).
 * "Run again" on a run's page trains in this process.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the dashboard, train the demo experiments into the data folder while it shows them live,"
                + " then keep serving until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    /** Each demo run: a spec under experiments/ and the overrides that size it for a demo. */
    private record DemoRun(String spec, List<String> overrides) {
    }

    /**
     * What the demo trains, in this order, sized to fill every page within a few minutes on two cores: two LeNets with
     * different optimizers (runs, compare), the {@link #SWEEP} (sweeps), a snapshot ensemble of 3 cycles (ensembles).
     */
    private static final List<DemoRun> RUNS = List.of(
            new DemoRun("lenet5-fashion.json", List.of("train.epochs=1", "data.limit=6000", "name=\"lenet5-adam\"")),
            new DemoRun("lenet5-fashion.json", List.of("train.epochs=1", "data.limit=6000", "name=\"lenet5-nesterov\"",
                    "optimizer={\"type\": \"nesterov\", \"lr\": 0.01, \"momentum\": 0.9}")),
            new DemoRun("snapshot-ensemble.json", List.of("train.epochs=3", "schedule.cycles=3", "ensemble.cycles=3",
                    "data.limit=3000", "train.validation=1000", "data.test_limit=2000")));

    /** The demo's sweep, trained after the first two runs: 4 seeded random trials of the notes' coarse stage. */
    private static final DemoRun SWEEP = new DemoRun("sweep-lr-reg.json", List.of("sweep.trials=4", "sweep.parallel=1",
            "train.epochs=2", "data.limit=1000", "train.validation=500", "data.test_limit=500"));

    @Option(names = "--experiments", paramLabel = "DIR",
            description = "folder of the demo specs (default: the repository's experiments/)")
    Path experiments;

    @Option(names = "--port", defaultValue = "8080", description = "dashboard port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--exit", description = "exit when the demo runs are done instead of serving on")
    boolean exit;

    @Mixin
    HomeOptions home;

    /** The {@code --home} (and {@code --db}) this demo was given, for the commands it suggests; empty for the defaults. */
    private String homeOption() {
        return (home.home != null ? " --home " + home.home : "") + (home.db != null ? " --db " + home.db : "");
    }

    @Override
    public Integer call() throws Exception {
        Path dir = experiments != null ? experiments : Path.of(System.getProperty("workbench.repo", ".")).resolve("experiments");
        PluginRegistry plugins = home.plugins();
        SpecResolver resolver = new SpecResolver(plugins);
        List<Experiment> runs = new ArrayList<>();
        for (DemoRun demo : RUNS) {
            runs.add(Preflight.file(spec(dir, demo), demo.overrides(), resolver));
        }
        SweepFile sweep = SweepFile.load(spec(dir, SWEEP), SWEEP.overrides());
        SweepRuns.validate(sweep, sweep.trials(), resolver);
        int failures = 0;
        try (LocalStack stack = LocalStack.startOwner(home);
             ServerRuns webRuns = ServeCommand.launcher(stack, plugins, 1)) {
            String url = stack.serveDashboard("127.0.0.1", port, plugins, false, webRuns);
            System.out.println("Dashboard: " + url + "  (open it to watch the demo runs train live)");
            for (int i = 0; i < runs.size(); i++) {
                if (i == 2) {
                    failures += demoSweep(stack, resolver, sweep);
                }
                Experiment experiment = runs.get(i);
                System.err.println("\n== demo run: " + experiment.spec().name());
                try {
                    RunCommand.execute(experiment, null, stack);
                } catch (RuntimeException e) {
                    failures++;
                }
            }
            System.out.println();
            System.out.println("Results are in " + home.home().toAbsolutePath().normalize() + " (embedded H2 database under db/).");
            System.out.println("Compare them at:  " + url + "  (runs, compare, sweeps, ensembles; 'Run again' on a run's page)");
            System.out.println("List them with:   ./workbench runs" + homeOption() + "   (or --format json|csv)");
            if (!exit) {
                System.err.println("Serving the dashboard; press Ctrl-C to stop.");
                // Ctrl-C ends the JVM without leaving this block: stop as serve does, so server.json goes too
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    webRuns.close();
                    stack.close();
                }, "workbench-demo-stop"));
                new CountDownLatch(1).await();
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /** Trains the demo's sweep on the demo's own store and bus; the number of failures (0 or 1). */
    private static int demoSweep(LocalStack stack, SpecResolver resolver, SweepFile sweep) {
        System.err.println("\n== demo sweep: " + sweep.id() + " (" + sweep.trials().size() + " trials)");
        try (SweepStack trials = SweepStack.attach(stack, resolver, sweep.sweep().parallel())) {
            return SweepCommand.train(sweep, trials, null, Path.of("experiments", SWEEP.spec())) == 0 ? 0 : 1;
        } catch (Exception e) {
            System.err.println("the demo sweep failed: " + e.getMessage());
            return 1;
        }
    }

    private static Path spec(Path dir, DemoRun demo) {
        Path spec = dir.resolve(demo.spec());
        if (!Files.isRegularFile(spec)) {
            throw new IllegalArgumentException("demo spec " + spec + " not found; pass --experiments DIR");
        }
        return spec;
    }
}
