package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.web.api.Downsample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownsampleTest {

    private static List<MetricPoint> series(int n) {
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(new MetricPoint("train_loss", i, i / 100, 1_000L * i, Math.exp(-i / 300.0) + 0.05 * Math.sin(i)));
        }
        return points;
    }

    @Test
    void returnsAShortSeriesUnchanged() {
        List<MetricPoint> points = series(10);
        assertThat(Downsample.lttb(points, 100)).isSameAs(points);
    }

    @Test
    void keepsTheFirstAndLastPointsAndTheStepOrder() {
        List<MetricPoint> out = Downsample.lttb(series(10_000), 500);
        assertThat(out).hasSize(500);
        assertThat(out.get(0).step()).isZero();
        assertThat(out.get(499).step()).isEqualTo(9_999);
        for (int i = 1; i < out.size(); i++) {
            assertThat(out.get(i).step()).isGreaterThan(out.get(i - 1).step());
        }
    }

    @Test
    void keepsASpikeAndANonFiniteValue() {
        List<MetricPoint> points = new ArrayList<>(series(10_000));
        points.set(4_321, new MetricPoint("train_loss", 4_321, 43, 0, 50.0));
        points.set(7_000, new MetricPoint("train_loss", 7_000, 70, 0, Double.NaN));
        List<MetricPoint> out = Downsample.lttb(points, 200);
        assertThat(out).extracting(MetricPoint::step).contains(4_321L, 7_000L);
    }

    @Test
    void keepsOnlyTheEndsWhenAskedForFewerThanThreePoints() {
        assertThat(Downsample.lttb(series(50), 2)).extracting(MetricPoint::step).containsExactly(0L, 49L);
        assertThat(Downsample.lttb(series(50), 1)).extracting(MetricPoint::step).containsExactly(49L);
    }
}
