package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.cli.home.TeamRunFiles;
import dev.cnnworkbench.core.bus.RunStartAck;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.engine.DataSplit;
import dev.cnnworkbench.core.engine.NativeBackend;
import dev.cnnworkbench.core.engine.TrackedRun;
import dev.cnnworkbench.core.engine.TrainingResult;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.HomeCheck;
import dev.cnnworkbench.core.experiment.Preflight;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.spec.TransferSpec;
import dev.cnnworkbench.storage.StorageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code workbench run SPEC}: validate, train, evaluate and record one run. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Train and track one run of an experiment spec, with a progress bar.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC", description = "experiment spec (JSON)")
    Path spec;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "override a spec value, e.g. --set train.epochs=1 --set optimizer.lr=0.003")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--remote", description = "queue the run on the home's hub for its workers ('workbench worker"
            + " --join'), and return: it trains on the next free worker, recorded like any run")
    boolean remote;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() throws Exception {
        if (!remote) {
            NativeBackend.preload(); // the native libraries load while the spec, the data and the database are opened
        }
        Experiment experiment = Preflight.file(spec, overrides, new SpecResolver(home.plugins()));
        if (remote) {
            return queue(experiment);
        }
        TransferSpec transfer = experiment.spec().model().transfer();
        if (transfer != null && TransferSpec.runId(transfer.from()) != null) {
            // fine-tuning a member's run: its network comes from the team database (before the pre-flight looks)
            TeamRunFiles.fetch(home, TransferSpec.runId(transfer.from()), TeamRunFiles.Wanted.MODEL);
        }
        // said once: the run trains on what the checks read
        new TerminalProgress().phase(TrackedRun.loadingPhase(experiment.spec()));
        DataSplit data = preflight(experiment, home.home());
        int exit;
        try (LocalStack stack = LocalStack.start(home)) {
            exit = execute(experiment, data, stack);
        }
        if (exit == 0) {
            StartupArchive.saveIfAsked(System.err);
        }
        return exit;
    }

    /** Queues {@code experiment} on the hub's work queue; prints its run id. */
    private int queue(Experiment experiment) {
        try (LocalStack stack = LocalStack.start(home)) {
            dev.cnnworkbench.core.sweep.SweepCodecs.register(stack.hubBus());
            dev.cnnworkbench.core.sweep.JobAccepted accepted;
            try {
                accepted = stack.hubBus().<dev.cnnworkbench.core.sweep.JobAccepted>request(
                        dev.cnnworkbench.core.sweep.WorkAddresses.SUBMIT, new dev.cnnworkbench.core.sweep.RunRequest(
                                dev.cnnworkbench.core.spec.SpecJson.write(experiment.spec()), Host.user()))
                        .await(30, java.util.concurrent.TimeUnit.SECONDS).body();
            } catch (Exception e) {
                throw new StorageException("no hub took the run (" + e.getMessage() + "): --remote needs a hub on this"
                        + " home ('./workbench serve') with workers ('./workbench worker --join ADDRESS')");
            }
            System.out.println("run " + accepted.runId() + " queued on the hub (" + accepted.ahead() + " ahead of it, "
                    + accepted.workers() + " worker(s) joined); follow it in the dashboard or with './workbench runs'");
            return 0;
        }
    }

    /** {@link Preflight#beforeRecording}, a home that cannot keep the run's files being a storage problem (exit 4). */
    static DataSplit preflight(Experiment experiment, Path home) {
        try {
            return Preflight.beforeRecording(experiment, home, null);
        } catch (HomeCheck.Unusable e) {
            throw new StorageException(e.getMessage());
        }
    }

    /**
     * Trains {@code experiment} into {@code stack}'s store on {@code data} (as {@link #preflight} read it; {@code null}:
     * read at the start); prints the outcome. Exit code 0 when finished.
     */
    static int execute(Experiment experiment, DataSplit data, LocalStack stack) throws Exception {
        TrackedRun run = new TrackedRun(stack.bus(), experiment, Host.user(), stack.home()).usingData(data);
        System.err.println("run " + run.runId() + " (" + dev.cnnworkbench.core.engine.RunNames.of(experiment.spec(), run.runId()) + ") recording to "
                + stack.databaseUrl());
        return execute(run, stack);
    }

    /**
     * Trains {@code run} (a new one, or one {@link TrackedRun#resuming resuming}) into {@code stack}'s store, with a
     * progress bar; records it {@code INTERRUPTED} on Ctrl-C or kill; prints the outcome. Exit code 0 when finished.
     */
    static int execute(TrackedRun run, LocalStack stack) throws Exception {
        Thread onSignal = new Thread(() -> {
            run.end(RunStatus.INTERRUPTED, "stopped by a signal (Ctrl-C or kill)");
            try {
                stack.flush(Duration.ofSeconds(5));
            } catch (Exception ignored) {
                // the process is going away; the next start marks the run INTERRUPTED anyway
            }
        }, "workbench-interrupt");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            TrainingResult result;
            try {
                result = run.execute(new TerminalProgress());
            } catch (RunStartAck.Refused e) {
                throw new StorageException(e.getMessage() + "; nothing was trained");
            }
            stack.flush(Duration.ofSeconds(60));
            String status = result.stopReason() == null ? "FINISHED" : "STOPPED (" + result.stopReason() + ")";
            System.out.printf(Locale.ROOT, "run %s %s: %d iterations in %.1f s (%.0f examples/s)%n",
                    run.runId(), status, result.iterations(), result.seconds(),
                    result.finalMetrics().getOrDefault("examples_per_second", Double.NaN));
            System.out.println("  " + TerminalProgress.format(new java.util.TreeMap<>(result.finalMetrics())));
            return 0;
        } catch (RuntimeException e) {
            stack.flush(Duration.ofSeconds(60));
            System.err.println("run " + run.runId() + " FAILED: " + e.getMessage());
            throw e;
        } finally {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        }
    }
}
