package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.HomeStore;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.cli.home.StoredSpecs;
import dev.cnnworkbench.cli.home.TeamRunFiles;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.engine.TrackedRun;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.StoreClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code workbench resume RUN_ID}: continues an {@code INTERRUPTED} run from its newest epoch checkpoint, with the spec
 * it was recorded with, appending to the same run.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continue an INTERRUPTED run (killed, Ctrl-C, machine gone) from its newest epoch checkpoint:"
                + " weights, optimizer state, epoch and iteration, with the same per-epoch random draws, appending to"
                + " the same run. The epochs after the checkpoint are trained again; their metrics replace the ones"
                + " the interrupted process had recorded."})
final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "the run to continue (see: workbench runs)")
    String runId;

    @Mixin
    HomeOptions home;

    @Override
    public Integer call() throws Exception {
        ExperimentSpec spec;
        try (HomeStore opened = HomeStore.open(home)) { // a database opened here: runs of dead processes INTERRUPTED
            StoreClient queries = opened.store();
            RunSummary run = queries.run(runId).orElseThrow(() -> new IllegalArgumentException(
                    "no run " + runId + " in " + queries.where() + " (see: workbench runs)"));
            if (run.status() != RunStatus.INTERRUPTED) {
                throw new IllegalArgumentException("run " + runId + " is " + run.status() + "; only an INTERRUPTED run"
                        + " can be resumed" + (run.status() == RunStatus.RUNNING
                        ? " (its process on " + run.host() + " is still training it)" : ""));
            }
            spec = StoredSpecs.of(queries, runId);
            // a run trained on another member's machine: its files come from the team database
            TeamRunFiles.fetch(home, opened, runId, TeamRunFiles.Wanted.NEWEST_CHECKPOINT);
            if (spec.ensemble() != null) {
                TeamRunFiles.fetch(home, opened, runId, TeamRunFiles.Wanted.SNAPSHOTS);
            }
        }
        if (spec.ensemble() != null && !spec.ensemble().save()) {
            throw new IllegalArgumentException("run " + runId + " kept its snapshot ensemble in memory only"
                    + " (ensemble.save is false), so its earlier snapshots are gone; run its spec again instead");
        }
        Experiment experiment = new SpecResolver(home.plugins()).resolve(spec);
        Path dir = RunArtifacts.dir(home.home(), runId);
        List<Path> checkpoints = RunArtifacts.checkpoints(dir);
        if (checkpoints.isEmpty()) {
            throw new IllegalArgumentException("run " + runId + " has no epoch checkpoint in " + dir + " (it was"
                    + " interrupted before its first epoch ended, or train.checkpoints.keep is 0); run its spec again");
        }
        Path checkpoint = checkpoints.get(checkpoints.size() - 1);
        try (LocalStack stack = LocalStack.start(home)) {
            TrackedRun run = TrackedRun.resuming(stack.bus(), experiment, Host.user(), stack.home(), runId, checkpoint);
            System.err.println("run " + runId + " (" + spec.name() + ") resuming from " + checkpoint.getFileName()
                    + ", recording to " + stack.databaseUrl());
            return RunCommand.execute(run, stack);
        }
    }
}
