package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.sweep.Objective;
import dev.cnnworkbench.core.sweep.SweepFile;
import dev.cnnworkbench.core.sweep.Trial;
import dev.cnnworkbench.core.sweep.TrialResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sweep table and {@code ensemble --sweep --top K} rank trials by the one rule (no training). */
class SweepRankingTest {

    private static final Objective MAX = new Objective("val_accuracy", Objective.Direction.MAX);

    private static TrialResult result(int n, Double value, RunStatus status) {
        return new TrialResult(new Trial(n, Map.of("optimizer.lr", JsonNodeFactory.instance.numberNode(1e-3 * n),
                "regularization.l2", JsonNodeFactory.instance.numberNode(0.01))),
                "run" + n, status, value, status == RunStatus.STOPPED ? "ASHA: ..." : null);
    }

    /** As the issue found them: FINISHED 0.068 and 0.061, STOPPED 0.114 and 0.30, one exploded (NaN), one failed. */
    private static final List<TrialResult> RESULTS = List.of(
            result(1, 0.068, RunStatus.FINISHED), result(2, 0.114, RunStatus.STOPPED), result(3, 0.30, RunStatus.STOPPED),
            result(4, Double.NaN, RunStatus.STOPPED), result(5, 0.061, RunStatus.FINISHED), result(6, null, RunStatus.FAILED));

    @Test
    void theTableRanksAStoppedTrialAboveAWorseFinishedOneAndLeavesUnusableOnesUnranked() {
        SweepFile file = SweepFile.load(Path.of("../experiments/sweep-lr-reg.json"), List.of());
        List<String> rows = SweepTable.format(file, RESULTS).lines().skip(1).toList();
        assertThat(rows).extracting(r -> r.split("\\s+")[1]).containsExactly("3", "2", "1", "5", "4", "6");
        assertThat(rows.get(1)).startsWith("2     2      STOPPED   0.1140");
        assertThat(rows.get(2)).startsWith("3     1      FINISHED  0.0680");
        assertThat(rows.get(4)).startsWith("-");
    }

    /** The defect: --top 5 built an ensemble of the 2 finished trials, one of them at 6%. */
    @Test
    void anEnsembleOfASweepsTopFiveTakesTheBestUsableTrialsAndSaysHowManyItFound() {
        EnsembleCommand.Picked all = EnsembleCommand.bestTrials(RESULTS, MAX, 3, id -> true);
        assertThat(all.runIds()).containsExactly("run3", "run2", "run1");
        assertThat(all.note()).isNull();
        EnsembleCommand.Picked five = EnsembleCommand.bestTrials(RESULTS, MAX, 5, id -> !Set.of("run2").contains(id));
        assertThat(five.runIds()).containsExactly("run3", "run1", "run5");
        assertThat(five.note()).startsWith("found 3 usable trial(s) with a saved network for the 5 asked for")
                .contains("1 of them without a saved network");
    }
}
