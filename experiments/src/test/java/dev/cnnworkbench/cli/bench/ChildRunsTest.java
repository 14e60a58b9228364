package dev.cnnworkbench.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How 'bench memory' finds a child run's first step in what it wrote. */
class ChildRunsTest {

    @Test
    void theFirstStepIsTheFirstProgressLineThatCountsOne() {
        List<WorkbenchProcess.TimedLine> said = List.of(
                new WorkbenchProcess.TimedLine(2.6, "run e99e7fcd554c (lenet5-fashion-witty-walrus-e99e) recording to"
                        + " jdbc:h2:file:/tmp/h1/db/workbench;WRITE_DELAY=0"),
                new WorkbenchProcess.TimedLine(5.8, "epoch 1/1   0% [                    ]  0/40 (0:00:00 / ?) "),
                new WorkbenchProcess.TimedLine(6.4, "epoch 1/1   2% [=                   ]  1/40 (0:00:01 / 0:00:58)"
                        + " loss 2.3091  60 ex/s"),
                new WorkbenchProcess.TimedLine(6.8, "epoch 1/1   7% [====                ]  3/40 (0:00:02 / 0:00:24)"
                        + " loss 2.1215  101 ex/s"),
                new WorkbenchProcess.TimedLine(9.0, "epoch 1/1: examples_per_second 648.2511  val_loss 0.5832"));
        assertThat(ChildRuns.firstStepSeconds(said)).hasValue(6.4);
        assertThat(ChildRuns.firstStepSeconds(said.subList(0, 2))).isEmpty();
    }
}
