package dev.cnnworkbench.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AshaTest {

    private static final Objective MAX = new Objective("val_accuracy", Objective.Direction.MAX);

    @Test
    void rungsAreMinEpochsTimesPowersOfEtaBeforeTheBudgetEnds() {
        Asha asha = new Asha(1, 3);
        assertThat(asha.rungs(27)).containsExactly(1, 3, 9);
        assertThat(asha.rungs(10)).containsExactly(1, 3, 9);
        assertThat(asha.rungs(1)).isEmpty();
        assertThat(new Asha(2, 2).rungs(16)).containsExactly(2, 4, 8);
        assertThat(asha.isRung(3, 10)).isTrue();
        assertThat(asha.isRung(2, 10)).isFalse();
        assertThat(asha.isRung(9, 9)).as("the last epoch is never a rung").isFalse();
    }

    @Test
    void promotesOnlyTheTopThirdOnceEnoughTrialsReachedTheRung() {
        RungTable table = new RungTable(new Asha(1, 3), MAX);
        assertThat(table.report(1, 1, 0.50).promote()).as("1 of 1: too few to judge").isTrue();
        assertThat(table.report(2, 1, 0.40).promote()).as("2 of 2: too few to judge").isTrue();
        assertThat(table.report(3, 1, 0.45).promote()).as("rank 2 of 3, keep 1").isFalse();
        assertThat(table.report(4, 1, 0.60).promote()).as("rank 1 of 4").isTrue();
        assertThat(table.report(5, 1, 0.55).promote()).as("rank 2 of 5, keep 1").isFalse();
        assertThat(table.report(6, 1, 0.58).promote()).as("rank 2 of 6, keep 2").isTrue();
        RungDecision stop = table.report(7, 1, Double.NaN);
        assertThat(stop.promote()).isFalse();
        assertThat(stop.reason()).isEqualTo(
                "ASHA: val_accuracy NaN ranks 7 of 7 at the rung after 1 epoch(s), outside the top 2 (1/3, threshold 0.5800)");
    }

    @Test
    void aJudgementRecordsTheRankAndTheThresholdItWasMeasuredAgainst() {
        RungTable table = new RungTable(new Asha(1, 2), MAX);
        assertThat(table.judge("s", 1, 1, 0.50, 0).threshold()).as("too few to judge").isNaN();
        var second = table.judge("s", 2, 1, 0.40, 0);
        assertThat(second.promoted()).isFalse();
        assertThat(second.threshold()).isEqualTo(0.50);
        assertThat(second.rank()).isEqualTo(2);
        assertThat(second.of()).isEqualTo(2);
        var third = table.judge("s", 3, 1, 0.70, 0);
        assertThat(third.promoted()).isTrue();
        assertThat(third.threshold()).as("keep 1 of 3: the best value").isEqualTo(0.70);
    }

    @Test
    void minimisesLossObjectives() {
        RungTable table = new RungTable(new Asha(1, 2), new Objective("val_loss", Objective.Direction.MIN));
        table.report(1, 1, 0.9);
        assertThat(table.report(2, 1, 0.5).promote()).isTrue();
        assertThat(table.report(3, 1, 0.7).promote()).isFalse();
    }

    /**
     * Nine synthetic learning curves through a three-rung ladder (1, 3, 9 epochs of 27): trials report in order,
     * each going as far as the rules let it. The good curves survive every rung; most bad ones stop at the first.
     */
    @Test
    void successiveHalvingOnSyntheticCurvesKeepsTheBestTrialsTraining() {
        double[] quality = {0.30, 0.80, 0.50, 0.90, 0.20, 0.60, 0.95, 0.40, 0.92};
        RungTable table = new RungTable(new Asha(1, 3), MAX);
        List<Integer> reached = new ArrayList<>();
        for (int t = 0; t < quality.length; t++) {
            AshaRule rule = new AshaRule(table.asha(), "val_accuracy", t + 1, 27, table);
            int epochs = 0;
            for (int e = 0; e < 27; e++) {
                epochs = e + 1;
                double acc = quality[t] * (1 - Math.exp(-(e + 1) / 3.0));
                if (rule.afterEpoch(e, Map.of("val_accuracy", acc)) != null) {
                    break;
                }
            }
            reached.add(epochs);
        }
        // trials 1 and 2 pass every rung (too few to judge yet), trial 3 is judged against them, and so on;
        // trial 9 is in the top third at rung 1 (2nd of 9) but not at rung 3 (3rd of 5)
        assertThat(reached).containsExactly(27, 27, 1, 27, 1, 1, 27, 1, 3);
        assertThat(table.rung(1)).hasSize(9);
        assertThat(table.rung(3)).containsOnlyKeys(1, 2, 4, 7, 9);
        assertThat(table.rung(9)).containsOnlyKeys(1, 2, 4, 7);
        assertThat(table.rung(3).keySet().size()).isEqualTo(5);
        // the best curve (trial 7) ran to the end, the worst (trial 5) stopped at the first rung
        assertThat(reached.get(6)).isEqualTo(27);
        assertThat(reached.get(4)).isEqualTo(1);
    }

    @Test
    void theRungTableIsSafeUnderConcurrentTrials() throws Exception {
        RungTable table = new RungTable(new Asha(1, 4), MAX);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> promoted = new ArrayList<>();
            for (int t = 1; t <= 400; t++) {
                int trial = t;
                promoted.add(pool.submit(() -> table.report(trial, 1, trial / 400.0).promote()));
            }
            for (Future<Boolean> f : promoted) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(table.rung(1)).hasSize(400);
    }

    @Test
    void aMissingObjectiveAtARungCountsAsNaN() {
        RungTable table = new RungTable(new Asha(1, 2), MAX);
        table.report(1, 1, 0.5);
        AshaRule rule = new AshaRule(table.asha(), "val_accuracy", 2, 5, table);
        assertThat(rule.afterEpoch(0, Map.of("val_loss", 0.1))).startsWith("ASHA: val_accuracy NaN ranks 2 of 2");
    }
}
