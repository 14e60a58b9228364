package dev.cnnworkbench.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How 'bench sweep' times a sweep from the lines its child writes. */
class SweepBenchmarkTest {

    private static WorkbenchProcess.TimedLine at(double seconds, String text) {
        return new WorkbenchProcess.TimedLine(seconds, text);
    }

    @Test
    void theSweepRunsFromTheFirstTrialStartToTheLastTrialEnd() {
        List<WorkbenchProcess.TimedLine> said = List.of(
                at(1.5, "sweep s: 2 random trials, 0 done, 0 running elsewhere, 2 to run, 2 at a time"),
                at(2.0, "recording to jdbc:h2:/tmp/h/db/workbench"),
                at(3.0, "trial 1 started: optimizer.lr=0.001"),
                at(3.1, "trial 2 started: optimizer.lr=0.0001"),
                at(7.0, "trial 2 FINISHED: val_accuracy 0.5000 (run ab12) [1/2]"),
                at(8.5, "trial 1 FINISHED: val_accuracy 0.6000 (run cd34) [2/2]"),
                at(9.0, "some later line"));
        assertThat(SweepBenchmark.sweepSeconds(said, 2)).hasValue(5.5);
    }

    @Test
    void aSweepThatDidNotEndEveryTrialHasNoSpan() {
        List<WorkbenchProcess.TimedLine> said = List.of(at(3.0, "trial 1 started: optimizer.lr=0.001"),
                at(7.0, "trial 1 FAILED: val_accuracy - (run ab12): out of memory [1/2]"));
        assertThat(SweepBenchmark.sweepSeconds(said, 2)).isEmpty();
        assertThat(SweepBenchmark.sweepSeconds(List.of(), 2)).isEmpty();
    }
}
