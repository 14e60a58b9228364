package dev.cnnworkbench.web.api;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Reduces a metric series to a number of points a chart can draw, keeping its shape:
 * Largest-Triangle-Three-Buckets over (step, value). The first and last points are always kept, so a
 * live curve ends where the run is. Non-finite values are kept where a bucket picks them, never
 * averaged into its neighbours.
 */
public final class Downsample {

    private Downsample() {
    }

    public static List<MetricPoint> lttb(List<MetricPoint> points, int maxPoints) {
        int n = points.size();
        if (maxPoints >= n || maxPoints < 3) {
            return maxPoints < 3 && n > maxPoints ? ends(points, maxPoints) : points;
        }
        List<MetricPoint> out = new ArrayList<>(maxPoints);
        out.add(points.get(0));
        double bucket = (double) (n - 2) / (maxPoints - 2);
        int chosen = 0;
        for (int b = 0; b < maxPoints - 2; b++) {
            int start = (int) Math.floor(b * bucket) + 1;
            int end = Math.min((int) Math.floor((b + 1) * bucket) + 1, n - 1);
            int nextEnd = Math.min((int) Math.floor((b + 2) * bucket) + 1, n);
            double avgX = 0;
            double avgY = 0;
            int count = 0;
            for (int i = end; i < nextEnd; i++) {
                double v = points.get(i).value();
                if (Double.isFinite(v)) {
                    avgX += points.get(i).step();
                    avgY += v;
                    count++;
                }
            }
            if (count > 0) {
                avgX /= count;
                avgY /= count;
            }
            MetricPoint a = points.get(chosen);
            int best = start;
            double bestArea = -1;
            for (int i = start; i < end; i++) {
                MetricPoint p = points.get(i);
                double area = Double.isFinite(p.value()) && Double.isFinite(a.value())
                        ? Math.abs((a.step() - avgX) * (p.value() - a.value()) - (a.step() - p.step()) * (avgY - a.value()))
                        : Double.MAX_VALUE; // a divergence (NaN, infinity) is worth showing
                if (area > bestArea) {
                    bestArea = area;
                    best = i;
                }
            }
            out.add(points.get(best));
            chosen = best;
        }
        out.add(points.get(n - 1));
        return out;
    }

    private static List<MetricPoint> ends(List<MetricPoint> points, int maxPoints) {
        if (maxPoints <= 0) {
            return List.of();
        }
        return maxPoints == 1 ? List.of(points.get(points.size() - 1)) : List.of(points.get(0), points.get(points.size() - 1));
    }
}
