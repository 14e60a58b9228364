package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.sweep.Domain;
import dev.cnnworkbench.core.sweep.SweepFile;
import dev.cnnworkbench.core.sweep.Trial;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunChanges;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunQuery;
import dev.cnnworkbench.storage.SweepStore;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.RunWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sweep end to end: three trials of a tiny network on 200 Fashion-MNIST images, two at a time, each a run
 * in a real H2 store; a sweep interrupted after one trial (and with one trial killed mid-run) resumes, training only
 * the missing trials; then the fine stage is written around the best trials.
 */
class SweepIT {

    static final String TINY = """
            {"name": "it-sweep",
             "data": {"dataset": "fashion-mnist", "limit": 200, "test_limit": 200},
             "model": {"input": [1, 28, 28], "layers": [
                {"type": "conv2d", "filters": 4, "kernel": 5, "activation": "relu"},
                {"type": "maxpool", "kernel": 2, "stride": 2},
                {"type": "output", "units": 10, "loss": "softmax"}]},
             "optimizer": {"type": "adam", "lr": 0.001},
             "train": {"epochs": 1, "batch": 50, "seed": 5, "validation": 100},
             "sweep": {"method": "random", "trials": 3, "parallel": 2, "seed": 11,
                       "objective": {"metric": "val_accuracy"},
                       "params": {"optimizer.lr": {"loguniform": [1e-4, 1e-2]},
                                  "regularization.l2": {"loguniform": [1e-5, 1e-2]}}}}
            """;

    @TempDir
    Path home;

    private Map<String, List<RunSummary>> runsByName() {
        try (Database db = Database.openEmbedded(home)) {
            return new RunQueries(db).listRuns().stream().collect(Collectors.groupingBy(RunSummary::name));
        }
    }

    @Test
    void runsTrialsIntoTheStoreResumesOnlyMissingOnesAndRefines() throws Exception {
        Path spec = home.resolve("it-sweep.json");
        Files.writeString(spec, TINY);
        SweepFile file = SweepFile.load(spec, List.of());
        List<Trial> trials = file.trials();

        // A first session trains one trial, then "stops" (a budget of one new trial).
        InProcessCli.Result first = InProcessCli.run("sweep", spec.toString(), "--home", home.toString(), "--max-new", "1");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("3 random trials, 0 done, 0 running elsewhere, 3 to run");
        // 'bench sweep' times a sweep by two of these lines: the first trial's start and the last trial's end
        List<String> said = first.err().lines().toList();
        assertThat(dev.cnnworkbench.cli.bench.SweepBenchmark.sweepSeconds(java.util.stream.IntStream
                .range(0, said.size()).mapToObj(i -> new dev.cnnworkbench.cli.bench.WorkbenchProcess.TimedLine(i,
                        said.get(i))).toList(), 1)).isPresent();
        Map<String, List<RunSummary>> afterFirst = runsByName();
        assertThat(afterFirst).containsOnlyKeys("it-sweep-trial-001");
        RunSummary one = afterFirst.get("it-sweep-trial-001").get(0);
        assertThat(one.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(one.experiment()).isEqualTo("it-sweep");
        assertThat((Double) one.params().get("optimizer.lr"))
                .isEqualTo(trials.get(0).values().get("optimizer.lr").asDouble());
        assertThat(one.metrics()).containsKeys("val_accuracy", "test_accuracy", "train_loss");

        // Trial 2 was being trained by a process that died: its run stays RUNNING until a start marks it.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (Database db = Database.openEmbedded(home)) {
            new RunWriter(db).insertRun(new RunStarted("deadbeef0002", trials.get(1).name(file.id()), file.id(),
                    file.trialSpec(trials.get(1)).toString(), Map.of("optimizer.lr", 0.001), Map.of(),
                    System.currentTimeMillis(), gone.pid(), Host.name(), "tester", 0,
                    new dev.cnnworkbench.core.bus.SweepTrialRef(file.id(), 2)));
        }

        InProcessCli.Result resumed = InProcessCli.run("sweep", spec.toString(), "--home", home.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("3 random trials, 1 done, 0 running elsewhere, 2 to run")
                .doesNotContain("trial 1 started");
        Map<String, List<RunSummary>> afterResume = runsByName();
        assertThat(afterResume.get("it-sweep-trial-001")).singleElement()
                .satisfies(r -> assertThat(r.id()).isEqualTo(one.id()));
        assertThat(afterResume.get("it-sweep-trial-002")).extracting(RunSummary::status)
                .containsExactlyInAnyOrder(RunStatus.INTERRUPTED, RunStatus.FINISHED);
        assertThat(afterResume.get("it-sweep-trial-003")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(RunStatus.FINISHED));
        // the table lists every trial, best first
        List<String> table = resumed.out().lines().toList();
        assertThat(table.get(0)).startsWith("sweep it-sweep: 3 of 3 trials done, ranked by val_accuracy (max)");
        assertThat(table.get(1)).startsWith("rank  trial  status").contains("optimizer.lr", "regularization.l2");
        assertThat(table).hasSize(5);
        double firstValue = Double.parseDouble(table.get(2).split("\\s+")[3]);
        double lastValue = Double.parseDouble(table.get(4).split("\\s+")[3]);
        assertThat(firstValue).isGreaterThanOrEqualTo(lastValue);

        // The sweep is a record: its definition, each trial linked by number, whatever the run's name.
        try (Database db = Database.openEmbedded(home)) {
            SweepStore sweeps = new SweepStore(db);
            SweepStore.Sweep record = sweeps.sweep("it-sweep").orElseThrow();
            assertThat(record.domains()).containsEntry("optimizer.lr", "{\"loguniform\":[1.0E-4,0.01]}");
            assertThat(record.metric()).isEqualTo("val_accuracy");
            assertThat(sweeps.trials("it-sweep")).extracting(SweepStore.Trial::status)
                    .containsExactly(RunStatus.FINISHED, RunStatus.FINISHED, RunStatus.FINISHED);
            new RunChanges(db).rename(one.id(), "my favourite trial");
            assertThat(new RunQueries(db).find(RunQuery.filter("sweep = 'it-sweep' and trial = 1", 10)).runs())
                    .extracting(RunSummary::name).containsExactly("my favourite trial");
        }

        // Nothing is left to run, the renamed trial included.
        InProcessCli.Result again = InProcessCli.run("sweep", spec.toString(), "--home", home.toString());
        assertThat(again.err()).contains("3 done, 0 running elsewhere, 0 to run");
        assertThat(runsByName().values().stream().mapToInt(List::size).sum()).isEqualTo(4);

        // Coarse to fine.
        Path fine = home.resolve("fine.json");
        InProcessCli.Result refine = InProcessCli.run("sweep", "refine", spec.toString(), "--top", "2", "--out", fine.toString(),
                "--home", home.toString());
        assertThat(refine.exitCode()).as(refine.err()).isZero();
        assertThat(refine.out()).contains("sweep it-sweep-fine (parent it-sweep), ranges around the best 2 of 3 usable trials");
        SweepFile next = SweepFile.load(fine, List.of());
        assertThat(next.id()).isEqualTo("it-sweep-fine");
        assertThat(next.sweep().parent()).isEqualTo("it-sweep");
        Domain.LogUniform lr = (Domain.LogUniform) next.sweep().params().get("optimizer.lr");
        assertThat(Math.log10(lr.high() / lr.low())).isLessThan(2);
        assertThat(next.base().path("model")).isEqualTo(file.base().path("model"));
    }
}
