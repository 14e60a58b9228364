package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.cli.bench.CrashSoak;
import dev.cnnworkbench.core.bus.RunStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash suite's short version ({@code ./workbench bench crash} is the long soak): a real training process on a tiny
 * spec with the default diagnostics, killed with SIGKILL three times at seeded moments (just after an epoch's
 * checkpoint, and within an epoch) and resumed each time, ends FINISHED with every acknowledged point kept and the
 * uninterrupted run's network, bit for bit.
 */
class CrashSoakIT {

    /** LeNet-5 on 512 images, 8 batches an epoch; 3 kills need 5 epochs to leave one for the last resume. */
    static final List<String> TINY = List.of("train.epochs=5", "data.limit=512", "train.validation=128",
            "data.test_limit=128", "train.checkpoints={\"keep\": 2}");

    @TempDir
    Path work;

    @Test
    void aRunKilledThreeTimesAndResumedEndsAsTheUninterruptedRunWithNoAcknowledgedPointLost() throws Exception {
        CrashSoak.Report report = CrashSoak.run(new CrashSoak.Settings(Path.of("../experiments/lenet5-fashion.json"),
                TINY, 3, 7, work, System.err));
        assertThat(report.kills()).as("every kill landed while it trained").isEqualTo(3);
        assertThat(report.cycles()).extracting(CrashSoak.Cycle::pointsKept).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(report.lost()).as("acknowledged points lost").isZero();
        assertThat(report.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(report.missing()).as("points of the uninterrupted run missing").isZero();
        assertThat(report.differing()).as("points with another value than the uninterrupted run's").isZero();
        assertThat(report.soakParameters()).as("final parameters").isEqualTo(report.referenceParameters());
        assertThat(report.checkpointsEqual()).as("last checkpoint: parameters and optimizer state").isTrue();
    }
}
