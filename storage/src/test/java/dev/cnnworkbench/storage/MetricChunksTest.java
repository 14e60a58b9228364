package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricChunksTest {

    @Test
    void roundTripsExtremeStepsTimesAndValuesBitForBit() {
        List<MetricPoint> points = List.of(
                new MetricPoint("m", 0, 0, 0, 0.0),
                new MetricPoint("m", Long.MAX_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, -0.0),
                new MetricPoint("m", Long.MIN_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Double.NaN),
                new MetricPoint("m", -5, -1, 1_700_000_000_000L, Double.NEGATIVE_INFINITY),
                new MetricPoint("m", 3, 2, 1_700_000_000_001L, Double.MIN_VALUE),
                new MetricPoint("m", 3, 2, 1_700_000_000_001L, Double.longBitsToDouble(0x7ff8_0000_0000_0001L)));
        List<MetricPoint> back = new ArrayList<>();
        MetricChunks.decode(MetricChunks.encode(points, 0, points.size()), "m", back);
        assertThat(back).isEqualTo(points);
        assertThat(Double.doubleToRawLongBits(back.get(5).value())).isEqualTo(0x7ff8_0000_0000_0001L);
        assertThat(Double.doubleToRawLongBits(back.get(1).value())).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void packsATypicalCurveInFewerThanSixteenBytesAPoint() {
        Random random = new Random(1);
        List<MetricPoint> points = new ArrayList<>();
        for (int step = 0; step < 4096; step++) {
            points.add(new MetricPoint("loss", step, step / 469, 1_700_000_000_000L + step * 37L, random.nextDouble()));
        }
        byte[] packed = MetricChunks.encode(points, 0, points.size());
        assertThat(packed.length).isLessThan(16 * 4096);
        List<MetricPoint> back = new ArrayList<>();
        MetricChunks.decode(packed, "loss", back);
        assertThat(back).isEqualTo(points);
    }
}
