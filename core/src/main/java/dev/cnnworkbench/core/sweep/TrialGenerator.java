package dev.cnnworkbench.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * Expands a sweep into its trials. Random search draws each trial's values in parameter order from a
 * {@link Well19937c} seeded with the sweep's seed, so the same sweep spec always gives the same trials (and a
 * sweep with more trials starts with the same ones). A grid is the cartesian product of each domain's grid
 * values, the first parameter varying slowest. Stateless.
 */
public final class TrialGenerator {

    private TrialGenerator() {
    }

    /** Every trial of {@code sweep}, numbered from 1. */
    public static List<Trial> trials(SweepSpec sweep) {
        return sweep.method() == SweepSpec.Method.GRID ? grid(sweep) : random(sweep);
    }

    private static List<Trial> random(SweepSpec sweep) {
        RandomGenerator random = new Well19937c(sweep.seed());
        List<Trial> out = new ArrayList<>();
        for (int t = 1; t <= sweep.trials(); t++) {
            Map<String, JsonNode> values = new LinkedHashMap<>();
            sweep.params().forEach((path, domain) -> values.put(path, domain.sample(random)));
            out.add(new Trial(t, values));
        }
        return out;
    }

    private static List<Trial> grid(SweepSpec sweep) {
        List<String> paths = new ArrayList<>(sweep.params().keySet());
        List<List<JsonNode>> axes = new ArrayList<>();
        for (String path : paths) {
            Domain d = sweep.params().get(path);
            Integer points = d.gridPoints() != null ? d.gridPoints() : sweep.gridPoints();
            if (d.continuous() && points == null) {
                throw new IllegalArgumentException("sweep.params." + path + ".grid_points is required in a grid");
            }
            axes.add(d.grid(points == null ? 1 : points));
        }
        List<Trial> out = new ArrayList<>();
        int[] index = new int[axes.size()];
        while (true) {
            Map<String, JsonNode> values = new LinkedHashMap<>();
            for (int i = 0; i < paths.size(); i++) {
                values.put(paths.get(i), axes.get(i).get(index[i]));
            }
            out.add(new Trial(out.size() + 1, values));
            int i = axes.size() - 1;
            while (i >= 0 && ++index[i] == axes.get(i).size()) {
                index[i] = 0;
                i--;
            }
            if (i < 0) {
                return out;
            }
        }
    }
}
