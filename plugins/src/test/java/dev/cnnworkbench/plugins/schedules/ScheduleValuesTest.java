package dev.cnnworkbench.plugins.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cnnworkbench.core.plugin.SchedulePlugin;
import dev.cnnworkbench.plugins.TestParams;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;

/** Each schedule's rate at chosen (iteration, epoch) points equals its formula. Iterations are 0-based as in DL4J. */
class ScheduleValuesTest {

    private static final double LR = 0.1;
    private static final double TOL = 1e-12;

    private static ISchedule build(SchedulePlugin plugin, Map<String, Object> raw, int itersPerEpoch, int total) {
        return plugin.build(TestParams.of(plugin, raw), LR, itersPerEpoch, total);
    }

    @Test
    void inverseTimeDividesByOnePlusKTimesEpoch() {
        ISchedule s = build(new InverseTimeSchedule(), Map.of("decay_rate", 0.5), 100, 1000);
        assertThat(s.valueAt(0, 0)).isCloseTo(LR, within(TOL));
        assertThat(s.valueAt(250, 2)).isCloseTo(LR / (1 + 0.5 * 2), within(TOL));
        assertThat(s.valueAt(999, 9)).isCloseTo(LR / (1 + 0.5 * 9), within(TOL));
    }

    @Test
    void inverseTimeCanCountIterations() {
        ISchedule s = build(new InverseTimeSchedule(), Map.of("decay_rate", 0.01, "per", "iteration"), 100, 1000);
        assertThat(s.valueAt(250, 2)).isCloseTo(LR / (1 + 0.01 * 250), within(TOL));
    }

    @Test
    void inverseSqrtDividesBySquareRootOfOneBasedEpoch() {
        ISchedule s = build(new InverseSqrtSchedule(), Map.of(), 100, 1000);
        assertThat(s.valueAt(0, 0)).isCloseTo(LR, within(TOL));
        assertThat(s.valueAt(300, 3)).isCloseTo(LR / Math.sqrt(4), within(TOL));
        assertThat(s.valueAt(800, 8)).isCloseTo(LR / 3, within(TOL));
    }

    @Test
    void linearFallsToTheFinalFactorOverTheBudget() {
        ISchedule s = build(new LinearSchedule(), Map.of("final_factor", 0.1), 10, 200);
        assertThat(s.valueAt(0, 0)).isCloseTo(LR, within(TOL));
        assertThat(s.valueAt(50, 5)).isCloseTo(LR + (0.01 - LR) * 50 / 200, within(TOL));
        assertThat(s.valueAt(100, 10)).isCloseTo((LR + 0.01) / 2, within(TOL));
        assertThat(s.valueAt(200, 20)).isCloseTo(0.01, within(TOL));
        assertThat(s.valueAt(500, 50)).isCloseTo(0.01, within(TOL));
    }

    @Test
    void cosineAnnealsFromBaseToFinalOverTheBudget() {
        ISchedule s = build(new CosineSchedule(), Map.of(), 10, 200);
        assertThat(s.valueAt(0, 0)).isCloseTo(LR, within(TOL));
        assertThat(s.valueAt(50, 5)).isCloseTo(LR / 2 * (1 + Math.cos(Math.PI / 4)), within(TOL));
        assertThat(s.valueAt(100, 10)).isCloseTo(LR / 2, within(TOL));
        assertThat(s.valueAt(200, 20)).isCloseTo(0, within(TOL));
    }

    @Test
    void cosineKeepsAFloorWhenAsked() {
        ISchedule s = build(new CosineSchedule(), Map.of("final_factor", 0.2), 10, 200);
        assertThat(s.valueAt(100, 10)).isCloseTo(0.02 + (LR - 0.02) / 2, within(TOL));
        assertThat(s.valueAt(200, 20)).isCloseTo(0.02, within(TOL));
    }

    @Test
    void sgdrRestartsAfterCyclesGrowingByTmult() {
        // t0 = 2 epochs of 5 iterations: cycles of 10, 20, 40 iterations starting at 0, 10, 30.
        ISchedule s = build(new SgdrSchedule(), Map.of("t0", 2, "tmult", 2), 5, 1000);
        assertThat(s.valueAt(0, 0)).isCloseTo(LR, within(TOL));
        assertThat(s.valueAt(5, 1)).isCloseTo(LR / 2, within(TOL));
        assertThat(s.valueAt(9, 1)).isCloseTo(LR / 2 * (1 + Math.cos(Math.PI * 9 / 10)), within(TOL));
        assertThat(s.valueAt(10, 2)).isCloseTo(LR, within(TOL));
        assertThat(s.valueAt(20, 4)).isCloseTo(LR / 2, within(TOL));
        assertThat(s.valueAt(30, 6)).isCloseTo(LR, within(TOL));
        assertThat(s.valueAt(40, 8)).isCloseTo(LR / 2 * (1 + Math.cos(Math.PI * 10 / 40)), within(TOL));
    }

    @Test
    void sgdrWithTmultOneRepeatsEqualCycles() {
        ISchedule s = build(new SgdrSchedule(), Map.of("t0", 1, "tmult", 1, "final_factor", 0.1), 4, 100);
        for (int cycle = 0; cycle < 5; cycle++) {
            assertThat(s.valueAt(4 * cycle, cycle)).isCloseTo(LR, within(TOL));
            assertThat(s.valueAt(4 * cycle + 2, cycle)).isCloseTo(0.01 + (LR - 0.01) / 2, within(TOL));
        }
    }

    /** The notes' formula with 1-based t. */
    private static double snapshot(int t, int total, int cycles) {
        double len = Math.ceil(total / (double) cycles);
        return LR / 2 * (Math.cos(Math.PI * ((t - 1) % len) / len) + 1);
    }

    @Test
    void snapshotRestartsAtEachCycleBoundaryAndNearsZeroAtEachEnd() {
        int total = 100;
        int cycles = 4;
        ISchedule s = build(new SnapshotSchedule(), Map.of("cycles", cycles), 10, total);
        for (int t = 1; t <= total; t++) {
            assertThat(s.valueAt(t - 1, (t - 1) / 10)).as("t=%d", t).isCloseTo(snapshot(t, total, cycles), within(TOL));
        }
        // Cycles of ceil(100/4) = 25: t = 1, 26, 51, 76 restart at lr0; t = 25, 50, 75, 100 end near 0.
        for (int start : List.of(1, 26, 51, 76)) {
            assertThat(s.valueAt(start - 1, 0)).isCloseTo(LR, within(TOL));
            int end = start + 24;
            assertThat(s.valueAt(end - 1, 0)).isCloseTo(LR / 2 * (Math.cos(Math.PI * 24 / 25) + 1), within(TOL))
                    .isLessThan(LR * 0.005);
        }
        assertThat(s.valueAt(12, 1)).isCloseTo(LR / 2 * (Math.cos(Math.PI * 12 / 25) + 1), within(TOL));
    }

    @Test
    void snapshotRoundsTheCycleLengthUp() {
        // T = 10, M = 3: ceil(10/3) = 4, so cycles start at t = 1, 5, 9 and the last one is cut short.
        ISchedule s = build(new SnapshotSchedule(), Map.of("cycles", 3), 1, 10);
        assertThat(s.valueAt(4, 4)).isCloseTo(LR, within(TOL));
        assertThat(s.valueAt(8, 8)).isCloseTo(LR, within(TOL));
        assertThat(s.valueAt(9, 9)).isCloseTo(LR / 2 * (Math.cos(Math.PI / 4) + 1), within(TOL));
    }

    @Test
    void snapshotsAreTakenAtEachCycleEnd() {
        SnapshotSchedule plugin = new SnapshotSchedule();
        assertThat(plugin.snapshotIterations(TestParams.of(plugin, Map.of("cycles", 4)), 10, 100))
                .containsExactly(25, 50, 75, 100);
        assertThat(plugin.snapshotIterations(TestParams.of(plugin, Map.of("cycles", 3)), 1, 10))
                .containsExactly(4, 8, 10);
        // The last iteration of each cycle has the cycle's lowest rate.
        ISchedule s = build(plugin, Map.of("cycles", 4), 10, 100);
        for (int end : List.of(25, 50, 75, 100)) {
            assertThat(s.valueAt(end - 1, 0)).isLessThan(s.valueAt(end - 2, 0)).isLessThan(s.valueAt(end, 0) + 1e-12);
        }
    }

    @Test
    void warmupRampsLinearlyIntoTheInnerSchedule() {
        ISchedule s = build(new WarmupSchedule(), Map.of("iterations", 10, "then", "cosine"), 10, 100);
        ISchedule cosine = build(new CosineSchedule(), Map.of(), 10, 100);
        assertThat(s.valueAt(0, 0)).isCloseTo(cosine.valueAt(0, 0) / 10, within(TOL));
        assertThat(s.valueAt(4, 0)).isCloseTo(cosine.valueAt(4, 0) * 5 / 10, within(TOL));
        assertThat(s.valueAt(9, 0)).isCloseTo(cosine.valueAt(9, 0), within(TOL));
        assertThat(s.valueAt(60, 6)).isCloseTo(cosine.valueAt(60, 6), within(TOL));
    }

    @Test
    void warmupPassesItsInnerParametersOn() {
        ISchedule s = build(new WarmupSchedule(),
                Map.of("iterations", 5, "then", "step", "epochs", List.of(2, 4), "factor", 0.5), 10, 100);
        assertThat(s.valueAt(2, 0)).isCloseTo(LR * 3 / 5, within(TOL));
        assertThat(s.valueAt(25, 2)).isCloseTo(LR * 0.5, within(TOL));
        assertThat(s.valueAt(45, 4)).isCloseTo(LR * 0.25, within(TOL));
    }

    @Test
    void warmupDefaultsToAConstantRateAfterTheRamp() {
        ISchedule s = build(new WarmupSchedule(), Map.of("iterations", 4), 10, 100);
        assertThat(s.valueAt(1, 0)).isCloseTo(LR / 2, within(TOL));
        assertThat(s.valueAt(50, 5)).isCloseTo(LR, within(TOL));
    }

    @Test
    void warmupRejectsAParameterItsInnerScheduleDoesNotTake() {
        SchedulePlugin warmup = new WarmupSchedule();
        var params = TestParams.of(warmup, Map.of("then", "cosine", "gamma", 0.5));
        assertThatThrownBy(() -> warmup.build(params, LR, 10, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gamma'").hasMessageContaining("'cosine'");
    }
}
