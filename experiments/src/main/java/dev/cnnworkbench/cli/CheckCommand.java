package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.HomeStore;
import dev.cnnworkbench.core.bus.ChecksRecorded;
import dev.cnnworkbench.core.engine.DataSplit;
import dev.cnnworkbench.core.engine.TrackedRun;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.sanity.CheckContext;
import dev.cnnworkbench.core.sanity.CheckProgress;
import dev.cnnworkbench.core.sanity.CheckResult;
import dev.cnnworkbench.core.sanity.SanityCheck;
import dev.cnnworkbench.core.sanity.SanityChecks;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecParser;
import dev.cnnworkbench.storage.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code workbench check SPEC}: the notes' sanity checks on a spec's network before a long run, each printed PASS,
 * FAIL or SKIP with what it measured and what a healthy network gives, and stored in the home's database
 * ({@code sanity_checks}). Exit code 1 when any check fails.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Run the lecture notes' sanity checks on a spec's network: initial loss near ln(C), loss rising"
                + " with regularisation, overfitting 20 images, a gradient check in double precision, and a"
                + " learning-rate probe (1e-6 .. 1). Small subsets: about a minute for LeNet-5 on a CPU.",
            "Exit code 1 when a check fails."})
final class CheckCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC", description = "experiment spec (JSON)")
    Path spec;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a spec value, e.g. --set optimizer.lr=0.01")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--only", paramLabel = "CHECK", split = ",",
            description = "run only these checks (initial_loss, regularization_raises_loss, overfit_small_subset,"
                    + " gradient_check, learning_rate_probe)")
    List<String> only = new ArrayList<>();

    @Option(names = "--no-record", negatable = false, description = "print the results only")
    boolean noRecord;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() {
        Experiment experiment = new SpecResolver(home.plugins()).resolve(new SpecParser().parseFile(spec, overrides));
        List<SanityCheck> checks = selected();
        long start = System.nanoTime();
        System.err.println("checking " + experiment.spec().name() + " (experiment " + experiment.spec().experiment()
                + "): " + checks.size() + " check" + (checks.size() == 1 ? "" : "s") + " on small subsets");
        if (experiment.spec().model().transfer() != null) {
            System.err.println("note: the checks build the network from scratch; model.init's checkpoint ("
                    + experiment.spec().model().transfer().from() + ") is not loaded");
        }
        System.err.println("loading " + experiment.spec().data().dataset() + " from " + experiment.spec().data().path());
        CheckContext context = SanityChecks.context(experiment, DataSplit.of(experiment.spec(), null,
                dev.cnnworkbench.core.artifact.RunArtifacts.root(home.home())), new Progress());
        List<CheckResult> results = SanityChecks.run(context, checks);
        long failed = results.stream().filter(r -> !r.passed()).count();
        long skipped = results.stream().filter(r -> r.verdict() == CheckResult.Verdict.SKIP).count();
        System.out.printf(Locale.ROOT, "%d passed, %d failed, %d skipped in %.0f s%n", results.size() - failed - skipped,
                failed, skipped, (System.nanoTime() - start) / 1e9);
        if (!noRecord) {
            record(experiment, results);
        }
        return failed == 0 ? 0 : 1;
    }

    private List<SanityCheck> selected() {
        if (only.isEmpty()) {
            return SanityChecks.ALL;
        }
        List<SanityCheck> out = new ArrayList<>();
        for (String name : only) {
            out.add(SanityChecks.named(name).orElseThrow(() -> new IllegalArgumentException("--only: no check named '"
                    + name + "'; the checks are " + String.join(", ", SanityChecks.ALL.stream().map(SanityCheck::name)
                    .toList()))));
        }
        return out;
    }

    /** Stores the results; a database that cannot be opened (e.g. served by another process) only warns. */
    private void record(Experiment experiment, List<CheckResult> results) {
        ChecksRecorded session = new ChecksRecorded(TrackedRun.newId(), experiment.spec().experiment(),
                SpecJson.write(experiment.spec()), null, Host.user(), System.currentTimeMillis(), results);
        try (HomeStore opened = HomeStore.open(home)) {
            opened.store().writeChecks(session);
            System.out.println("recorded as check session " + session.sessionId() + " in " + opened.store().where());
        } catch (StorageException | IllegalArgumentException e) {
            System.err.println("warning: the results are not stored: " + e.getMessage());
        }
    }

    /** One line per check on standard error, with its progress rewritten in place; the result on standard output. */
    private static final class Progress implements CheckProgress {

        private final boolean terminal = System.console() != null;
        private long started;
        private String label;

        @Override
        public void checkStarted(int index, int count, SanityCheck check) {
            started = System.nanoTime();
            label = String.format(Locale.ROOT, "[%d/%d] %s", index, count, check.name());
            System.err.print(label + ": " + check.description() + (terminal ? " ..." : "\n"));
        }

        @Override
        public void step(int done, int total, String note) {
            if (terminal) {
                System.err.printf(Locale.ROOT, "\r\033[K%s: %d/%d %s", label, done, total, note);
            }
        }

        @Override
        public void checkDone(CheckResult r) {
            if (terminal) {
                System.err.print("\r\033[K");
            }
            System.err.flush();
            System.out.printf(Locale.ROOT, "%-4s %-27s measured %-10s expected %s  (%.1f s)%n", r.verdict(), r.name(),
                    Double.isNaN(r.measured()) ? "-" : String.format(Locale.ROOT, "%.4g", r.measured()), r.expected(),
                    (System.nanoTime() - started) / 1e9);
            for (String line : r.detail().split("\n")) {
                System.out.println("     " + line);
            }
        }
    }
}
