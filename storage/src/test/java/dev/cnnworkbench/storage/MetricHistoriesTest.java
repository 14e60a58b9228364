package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStatus;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricHistoriesTest {

    private static final int LONG = 100_000;
    private static final long SPIKE_STEP = 54_321;

    @TempDir
    static Path home;
    static Database db;
    static RunQueries queries;
    static TestRuns runs;

    @BeforeAll
    static void history() throws SQLException {
        db = Database.openEmbedded(home);
        queries = new RunQueries(db);
        runs = new TestRuns(db);
        for (String id : List.of("long", "mid", "short", "spiky")) {
            runs.run(id, "exp", RunStatus.FINISHED, "2024-05-01T10:00:00Z", Map.of(), Map.of());
        }
        runs.points("long", "loss", LONG, step -> step == SPIKE_STEP ? 1000.0 : smooth(step));
        runs.points("mid", "loss", 5_000, MetricHistoriesTest::smooth);
        runs.points("short", "loss", 37, MetricHistoriesTest::smooth);
        runs.points("spiky", "loss", 20_000, step -> step == 777 ? Double.NaN
                : step == 15_000 ? Double.NEGATIVE_INFINITY : step == 16_000 ? Double.POSITIVE_INFINITY : smooth(step));
    }

    private static double smooth(long step) {
        return 2.3 * Math.exp(-step / 20_000.0) + 0.01 * Math.sin(step / 50.0);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void returnsEveryPointInStepOrderAtFullResolution() {
        List<MetricPoint> all = queries.history("long", "loss");
        assertThat(all).hasSize(LONG);
        assertThat(all).isSortedAccordingTo(Comparator.comparingLong(MetricPoint::step));
        assertThat(all.get((int) SPIKE_STEP)).isEqualTo(new MetricPoint("loss", SPIKE_STEP, (int) (SPIKE_STEP / 100),
                1_700_000_000_000L + SPIKE_STEP, 1000.0));
    }

    @Test
    void downsamplesEachRunToAtMostKPoints() {
        for (int k : List.of(2, 3, 10, 100, 999, 1000, 4000)) {
            List<MetricHistory> h = queries.histories(new HistoryQuery(List.of("long", "mid", "short", "spiky"), "loss", k));
            assertThat(h).extracting(MetricHistory::runId).containsExactly("long", "mid", "short", "spiky");
            for (MetricHistory one : h) {
                assertThat(one.points()).as("%s at k=%d", one.runId(), k).hasSizeLessThanOrEqualTo(k);
                assertThat(one.points()).isSortedAccordingTo(Comparator.comparingLong(MetricPoint::step));
            }
            assertThat(h.get(0).totalPoints()).isEqualTo(LONG);
            assertThat(h.get(0).downsampled()).isTrue();
        }
        MetricHistory thousand = queries.histories(new HistoryQuery(List.of("long"), "loss", 1000)).get(0);
        assertThat(thousand.points().size()).as("a useful share of the budget is used").isGreaterThan(700);
    }

    @Test
    void spendsItsPointsOnTheRangeOfStepsAskedForOnly() {
        // a zoom into 1,000 steps of the long run: every point there, none outside, the spike kept
        List<MetricPoint> zoomed = queries.histories(new HistoryQuery(List.of("long", "short"), "loss", 2000,
                SPIKE_STEP - 500, SPIKE_STEP + 499)).get(0).points();
        assertThat(zoomed).hasSize(1000);
        assertThat(zoomed.get(0).step()).isEqualTo(SPIKE_STEP - 500);
        assertThat(zoomed).extracting(MetricPoint::value).contains(1000.0);
        // a wide range read from the rollups: within the range, at most K points
        for (int k : List.of(10, 300)) {
            List<MetricPoint> wide = queries.histories(new HistoryQuery(List.of("long"), "loss", k, 10_000, 90_000))
                    .get(0).points();
            assertThat(wide).hasSizeLessThanOrEqualTo(k).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.step()).isBetween(10_000L, 90_000L));
        }
        assertThat(queries.histories(new HistoryQuery(List.of("short"), "loss", 100, 1_000_000, 2_000_000)).get(0)
                .points()).as("a range past the run's end").isEmpty();
    }

    @Test
    void keepsShortRunsWhole() {
        MetricHistory h = queries.histories(new HistoryQuery(List.of("short"), "loss", 1000)).get(0);
        assertThat(h.points()).hasSize(37);
        assertThat(h.downsampled()).isFalse();
    }

    @Test
    void keepsSpikesThatFallBetweenBuckets() {
        for (int k : List.of(10, 100, 1000)) {
            List<MetricPoint> points = queries.histories(new HistoryQuery(List.of("long"), "loss", k)).get(0).points();
            assertThat(points).as("k=%d", k).anySatisfy(p -> {
                assertThat(p.step()).isEqualTo(SPIKE_STEP);
                assertThat(p.value()).isEqualTo(1000.0);
            });
        }
        List<MetricPoint> spiky = queries.histories(new HistoryQuery(List.of("spiky"), "loss", 50)).get(0).points();
        assertThat(spiky).extracting(MetricPoint::value)
                .contains(Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        List<MetricPoint> mid = queries.histories(new HistoryQuery(List.of("mid"), "loss", 100)).get(0).points();
        assertThat(mid).extracting(MetricPoint::value)
                .contains(Collections.max(queries.history("mid", "loss").stream().map(MetricPoint::value).toList()));
    }

    @Test
    void returnsOnlyRealPointsWithTheExtremesOfTheCurve() {
        for (String run : List.of("long", "mid")) {
            List<MetricPoint> all = queries.history(run, "loss");
            List<MetricPoint> some = queries.histories(new HistoryQuery(List.of(run), "loss", 300)).get(0).points();
            assertThat(new HashSet<>(all)).containsAll(some);
            assertThat(some).contains(Collections.min(all, Comparator.comparingDouble(MetricPoint::value)),
                    Collections.max(all, Comparator.comparingDouble(MetricPoint::value)));
        }
    }

    @Test
    void answersEmptyForARunWithoutTheMetric() {
        List<MetricHistory> h = queries.histories(new HistoryQuery(List.of("nope", "short"), "accuracy", 100));
        assertThat(h).extracting(MetricHistory::totalPoints).containsExactly(0L, 0L);
        assertThat(h).allSatisfy(x -> assertThat(x.points()).isEmpty());
    }

    @Test
    void downsamplesTheSameWhateverTheBatchingAndOrderOfArrival(@TempDir Path other) throws SQLException {
        Random random = new Random(7);
        List<MetricPoint> points = new ArrayList<>();
        for (long step = 0; step < 30_000; step++) {
            points.add(new MetricPoint("acc", step, 0, step, random.nextGaussian()));
        }
        List<MetricPoint> shuffled = new ArrayList<>(points);
        Collections.shuffle(shuffled.subList(0, 10_000), random);
        Collections.reverse(shuffled.subList(10_000, 20_000));
        try (Database oneBatch = Database.openEmbedded(other.resolve("a"));
             Database manyBatches = Database.openEmbedded(other.resolve("b"))) {
            new RunWriter(oneBatch).insertMetrics(points.stream().map(p -> new RunWriter.RunPoint("r", p)).toList());
            RunWriter writer = new RunWriter(manyBatches);
            int i = 0;
            while (i < shuffled.size()) {
                int n = Math.min(shuffled.size() - i, 1 + random.nextInt(3000));
                List<RunWriter.RunPoint> batch = new ArrayList<>();
                for (MetricPoint p : shuffled.subList(i, i + n)) {
                    batch.add(new RunWriter.RunPoint("r", p));
                    batch.add(new RunWriter.RunPoint("r", new MetricPoint("other", p.step(), 0, 0, 1.0)));
                }
                writer.insertMetrics(batch);
                i += n;
            }
            for (int k : List.of(20, 500, 2000)) {
                HistoryQuery q = new HistoryQuery(List.of("r"), "acc", k);
                assertThat(new RunQueries(manyBatches).histories(q)).isEqualTo(new RunQueries(oneBatch).histories(q));
            }
            assertThat(new RunQueries(manyBatches).history("r", "acc")).isEqualTo(points);
        }
    }
}
