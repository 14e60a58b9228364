package dev.cnnworkbench.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.HomeStore;
import dev.cnnworkbench.cli.work.SweepRuns;
import dev.cnnworkbench.cli.work.SweepStack;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.experiment.Preflight;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.spec.SpecError;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.sweep.Domain;
import dev.cnnworkbench.core.sweep.PastRun;
import dev.cnnworkbench.core.sweep.RungTable;
import dev.cnnworkbench.core.sweep.SweepCoordinator;
import dev.cnnworkbench.core.sweep.SweepFile;
import dev.cnnworkbench.core.sweep.SweepRefiner;
import dev.cnnworkbench.core.sweep.SweepResume;
import dev.cnnworkbench.core.sweep.Trial;
import dev.cnnworkbench.core.sweep.TrialRanking;
import dev.cnnworkbench.core.sweep.TrialResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code workbench sweep SPEC}: run a sweep's trials, several at a time, each an ordinary tracked run; a sweep
 * that was interrupted resumes, re-running only the trials that did not finish. {@code workbench sweep refine SPEC}
 * writes the next, narrower stage.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, subcommands = SweepCommand.Refine.class,
        description = {"Run a hyperparameter sweep: the trials of the spec's \"sweep\" section (grid, random,"
                + " log-uniform), several at a time, each recorded as a run of experiment <sweep name>.",
            "Running it again resumes: only trials without a FINISHED or STOPPED run are trained."})
final class SweepCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "sweep spec (JSON with a \"sweep\" section)")
    Path spec;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "override a spec value, e.g. --set train.epochs=1 --set sweep.parallel=4")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--max-new", paramLabel = "N",
            description = "start at most N trials now; the others wait for the next 'sweep SPEC' (a budget)")
    Integer maxNew;

    @Option(names = "--dry-run", description = "list the trials and what the store already holds; train nothing")
    boolean dryRun;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() throws Exception {
        if (spec == null) {
            throw new CommandLine.ParameterException(command.commandLine(), "Missing required parameter: 'SPEC'");
        }
        SweepFile file = SweepFile.load(spec, overrides);
        List<Trial> trials = file.trials();
        SpecResolver resolver = new SpecResolver(home.plugins());
        SweepRuns.validate(file, trials, resolver);
        if (dryRun) {
            try (HomeStore opened = HomeStore.open(home)) {
                SweepResume.State state = SweepResume.state(file, SweepRuns.past(opened.store(), file, false));
                printPlan(file, trials, state);
                trials.forEach(t -> System.out.println(t.name(file.id()) + "  " + t.describe()
                        + (state.done().containsKey(t.number()) ? "  (done: " + state.done().get(t.number()).runId() + ")" : "")));
            }
            return 0;
        }
        try (SweepStack stack = SweepStack.start(home, resolver, file.sweep().parallel())) {
            return train(file, stack, maxNew, spec);
        }
    }

    /**
     * Trains the trials of {@code file} that have no finished run yet (at most {@code maxNew} of them when not null) on
     * {@code stack}'s trial worker, printing progress and then the ranked table; returns the exit code (1 when a trial
     * failed). {@code spec} is only named in the hint to run it again.
     */
    static int train(SweepFile file, SweepStack stack, Integer maxNew, Path spec) throws Exception {
        List<Trial> trials = file.trials();
        boolean asha = file.sweep().earlyStop() != null;
        List<PastRun> past = SweepRuns.past(stack.store(), file, asha);
        SweepResume.State state = SweepResume.state(file, past);
        printPlan(file, trials, state);
        System.err.println("recording to " + stack.databaseUrl());
        List<Trial> todo = state.pending();
        if (maxNew != null && maxNew < todo.size()) {
            todo = todo.subList(0, Math.max(0, maxNew));
        }
        RungTable rungs = null;
        if (asha) {
            rungs = new RungTable(file.sweep().earlyStop(), file.sweep().objective());
            SweepRuns.seed(rungs, file, state);
        }
        Thread onSignal = new Thread(() -> {
            stack.interruptAll("stopped by a signal (Ctrl-C or kill); 'sweep' again resumes");
            try {
                stack.flush(Duration.ofSeconds(5));
            } catch (Exception ignored) {
                // the process is going away; the next start marks the runs INTERRUPTED anyway
            }
        }, "workbench-sweep-interrupt");
        Runtime.getRuntime().addShutdownHook(onSignal);
        List<TrialResult> fresh;
        try {
            fresh = new SweepCoordinator(stack.buses(), file, rungs, new Progress(file, todo.size()), Host.user())
                    .run(todo).toCompletionStage().toCompletableFuture().get();
            stack.flush(Duration.ofSeconds(60));
        } finally {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        }
        List<TrialResult> all = new ArrayList<>(state.results(trials, file.sweep().objective()));
        all.addAll(fresh);
        System.out.println("sweep " + file.id() + ": " + all.stream().filter(TrialResult::done).count() + " of "
                + trials.size() + " trials done, ranked by " + file.sweep().objective().metric() + " ("
                + file.sweep().objective().direction().label() + ")");
        System.out.print(SweepTable.format(file, all));
        long failed = fresh.stream().filter(r -> r.status() == RunStatus.FAILED).count();
        if (failed > 0) {
            System.err.println(failed + " trial(s) failed; 'sweep " + spec + "' again retries them");
        }
        return failed == 0 ? 0 : 1;
    }

    private static void printPlan(SweepFile file, List<Trial> trials, SweepResume.State state) {
        System.err.printf(Locale.ROOT, "sweep %s: %d %s trials, %d done, %d running elsewhere, %d to run, %d at a time%n",
                file.id(), trials.size(), file.sweep().method().label(), state.done().size(), state.running().size(),
                state.pending().size(), file.sweep().parallel());
    }

    /** One line per trial start and end, on standard error. */
    private static final class Progress implements SweepCoordinator.Listener {

        private final SweepFile file;
        private final int total;
        private final AtomicInteger ended = new AtomicInteger();

        Progress(SweepFile file, int total) {
            this.file = file;
            this.total = total;
        }

        @Override
        public void started(Trial trial) {
            System.err.println("trial " + trial.number() + " started: " + trial.describe());
        }

        @Override
        public void ended(TrialResult r) {
            String value = r.objective() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.objective());
            System.err.printf(Locale.ROOT, "trial %d %s: %s %s (run %s)%s  [%d/%d]%n", r.trial().number(),
                    r.status(), file.sweep().objective().metric(), value, r.runId(),
                    r.reason() == null ? "" : ": " + r.reason(), ended.incrementAndGet(), total);
        }
    }

    /** {@code workbench sweep refine SPEC --top K --out FILE}: the next stage, narrowed around the best trials. */
    @Command(name = "refine", mixinStandardHelpOptions = true,
            description = {"Write the next stage of a sweep: its ranges narrowed around the best K usable trials"
                    + " (finished, or stopped with a value of the objective; in log space for log-uniform parameters),"
                    + " as the notes go from coarse to fine. The new stage records this sweep as its parent."})
    static final class Refine implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "SPEC", description = "the sweep spec whose trials are in the store")
        Path spec;

        @Option(names = "--set", paramLabel = "PATH=VALUE", description = "the overrides the sweep ran with")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "best trials to cover (default 3)")
        int top;

        @Option(names = "--out", paramLabel = "FILE", description = "where to write the new spec (default: next to SPEC)")
        Path out;

        @Option(names = "--name", paramLabel = "ID", description = "the new sweep's id (default: <sweep>-fine)")
        String name;

        @Mixin
        HomeOptions home;

        @Override
        public Integer call() throws Exception {
            SweepFile file = SweepFile.load(spec, overrides);
            List<TrialResult> results;
            try (HomeStore opened = HomeStore.open(home)) {
                SweepResume.State state = SweepResume.state(file, SweepRuns.past(opened.store(), file, false));
                results = state.results(file.trials(), file.sweep().objective());
            }
            String id = name != null ? name : SweepRefiner.nextName(file.id());
            SweepFile fine = SweepRefiner.refine(file, results, top, id);
            Path target = out != null ? out : spec.toAbsolutePath().resolveSibling(id + ".json");
            ObjectNode json = fine.toJson();
            Files.writeString(target, json.toPrettyString() + "\n");
            TrialRanking<TrialResult> ranking = TrialResult.ranking(file.sweep().objective());
            long usable = results.stream().filter(ranking::usable).count();
            String shortfall = ranking.shortfall(results, top);
            if (shortfall != null) {
                System.err.println("sweep " + file.id() + ": " + shortfall);
            }
            System.out.println("wrote " + target + ": sweep " + id + " (parent " + file.id() + "), ranges around the best "
                    + SweepRefiner.best(file, results, top).size() + " of " + usable + " usable trials of " + file.id());
            file.sweep().params().forEach((path, before) -> {
                Domain after = fine.sweep().params().get(path);
                System.out.println("  " + path + ": " + before.toJson() + " -> " + after.toJson());
            });
            return 0;
        }
    }
}
