package dev.cnnworkbench.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.math3.distribution.UniformIntegerDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Where one swept parameter takes its values. In a spec: {@code {"choice": [32, 64]}},
 * {@code {"uniform": [0, 0.5]}}, {@code {"loguniform": [1e-6, 1e-3]}}, {@code {"int": [1, 4]}} (both ends
 * included) or {@code {"qloguniform": [16, 256, 16]}} (log-uniform, rounded to a multiple of the third number).
 * A continuous domain in a grid search takes {@code gridPoints} evenly spaced values, ends included (in log space
 * for the log domains). Immutable.
 */
public sealed interface Domain {

    JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The domain's spec name ({@code loguniform}, ...). */
    String kind();

    /** One value drawn from the domain. */
    JsonNode sample(RandomGenerator random);

    /**
     * The values a grid search tries, in increasing order (choices in their written order). A continuous
     * domain uses {@code points} (its own {@link #gridPoints()} when set, else the sweep's default).
     */
    List<JsonNode> grid(int points);

    /** Points per continuous dimension of a grid, set on the domain; {@code null} when not set. */
    Integer gridPoints();

    /** Whether a grid needs a point count for this domain. */
    default boolean continuous() {
        return true;
    }

    /** Whether refining narrows this domain in log space. */
    default boolean logScale() {
        return false;
    }

    /**
     * A narrower domain around {@code best} (values this domain produced), as the notes narrow by hand: the span
     * of the best values, widened on each side by a tenth of the current width (in log space for the log domains)
     * and clipped to the current range. A choice keeps only the values among {@code best}.
     */
    Domain refine(List<JsonNode> best);

    /** The spec form, e.g. {@code {"loguniform": [1e-6, 1e-3]}}. */
    default ObjectNode toJson() {
        ObjectNode out = JSON.objectNode();
        out.set(kind(), bounds());
        if (gridPoints() != null) {
            out.put("grid_points", gridPoints());
        }
        return out;
    }

    /** The array after the kind's name. */
    ArrayNode bounds();

    /** Fraction of the current width added on each side of the best values' span when refining. */
    double REFINE_PAD = 0.1;

    /** {@code {"choice": [...]}}: any JSON values, objects included (e.g. whole schedules). */
    record Choice(List<JsonNode> values, Integer gridPoints) implements Domain {

        public Choice {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("must list at least one value");
            }
        }

        @Override
        public String kind() {
            return "choice";
        }

        @Override
        public boolean continuous() {
            return false;
        }

        @Override
        public JsonNode sample(RandomGenerator random) {
            return values.get(random.nextInt(values.size()));
        }

        @Override
        public List<JsonNode> grid(int points) {
            return values;
        }

        @Override
        public Domain refine(List<JsonNode> best) {
            List<JsonNode> kept = values.stream().filter(v -> best.stream().anyMatch(b -> sameValue(v, b))).toList();
            return new Choice(kept.isEmpty() ? values : kept, gridPoints);
        }

        @Override
        public ArrayNode bounds() {
            ArrayNode a = JSON.arrayNode();
            values.forEach(a::add);
            return a;
        }
    }

    /** {@code {"uniform": [low, high]}}. */
    record Uniform(double low, double high, Integer gridPoints) implements Domain {

        public Uniform {
            if (!(low < high) || !Double.isFinite(low) || !Double.isFinite(high)) {
                throw new IllegalArgumentException("must be [low, high] with low < high");
            }
        }

        @Override
        public String kind() {
            return "uniform";
        }

        @Override
        public JsonNode sample(RandomGenerator random) {
            return JSON.numberNode(new UniformRealDistribution(random, low, high).sample());
        }

        @Override
        public List<JsonNode> grid(int points) {
            List<JsonNode> out = new ArrayList<>();
            for (double v : linspace(low, high, points)) {
                out.add(JSON.numberNode(v));
            }
            return out;
        }

        @Override
        public Domain refine(List<JsonNode> best) {
            double[] span = span(best, low, high, false);
            return new Uniform(span[0], span[1], gridPoints);
        }

        @Override
        public ArrayNode bounds() {
            return JSON.arrayNode().add(low).add(high);
        }
    }

    /** {@code {"loguniform": [low, high]}}: {@code 10^uniform(log10 low, log10 high)}, {@code 0 < low < high}. */
    record LogUniform(double low, double high, Integer gridPoints) implements Domain {

        public LogUniform {
            if (!(low > 0) || !(low < high) || !Double.isFinite(high)) {
                throw new IllegalArgumentException("must be [low, high] with 0 < low < high");
            }
        }

        @Override
        public String kind() {
            return "loguniform";
        }

        @Override
        public boolean logScale() {
            return true;
        }

        @Override
        public JsonNode sample(RandomGenerator random) {
            return JSON.numberNode(logSample(random, low, high));
        }

        @Override
        public List<JsonNode> grid(int points) {
            List<JsonNode> out = new ArrayList<>();
            for (double v : logspace(low, high, points)) {
                out.add(JSON.numberNode(v));
            }
            return out;
        }

        @Override
        public Domain refine(List<JsonNode> best) {
            double[] span = span(best, low, high, true);
            return new LogUniform(span[0], span[1], gridPoints);
        }

        @Override
        public ArrayNode bounds() {
            return JSON.arrayNode().add(low).add(high);
        }
    }

    /** {@code {"int": [low, high]}}: a whole number, both ends included. */
    record IntRange(long low, long high, Integer gridPoints) implements Domain {

        public IntRange {
            if (low > high) {
                throw new IllegalArgumentException("must be [low, high] with low <= high");
            }
        }

        @Override
        public String kind() {
            return "int";
        }

        /** A grid tries every whole number of the range unless {@code grid_points} says otherwise. */
        @Override
        public boolean continuous() {
            return false;
        }

        @Override
        public JsonNode sample(RandomGenerator random) {
            return JSON.numberNode((long) new UniformIntegerDistribution(random, (int) low, (int) high).sample());
        }

        @Override
        public List<JsonNode> grid(int points) {
            Set<Long> values = new LinkedHashSet<>();
            if (gridPoints == null) {
                for (long v = low; v <= high; v++) {
                    values.add(v);
                }
            } else {
                for (double v : linspace(low, high, gridPoints)) {
                    values.add(Math.round(v));
                }
            }
            return values.stream().map(v -> (JsonNode) JSON.numberNode(v)).toList();
        }

        @Override
        public Domain refine(List<JsonNode> best) {
            double[] span = span(best, low, high, false);
            return new IntRange((long) Math.floor(span[0]), (long) Math.ceil(span[1]), gridPoints);
        }

        @Override
        public ArrayNode bounds() {
            return JSON.arrayNode().add(low).add(high);
        }
    }

    /**
     * {@code {"qloguniform": [low, high, q]}}: log-uniform in {@code [low, high]}, rounded to the nearest multiple
     * of {@code q} and kept inside the range; whole numbers when {@code low}, {@code high} and {@code q} are.
     */
    record QLogUniform(double low, double high, double q, Integer gridPoints) implements Domain {

        public QLogUniform {
            if (!(low > 0) || !(low < high) || !Double.isFinite(high)) {
                throw new IllegalArgumentException("must be [low, high, q] with 0 < low < high");
            }
            if (!(q > 0) || !Double.isFinite(q)) {
                throw new IllegalArgumentException("must be [low, high, q] with q > 0");
            }
        }

        @Override
        public String kind() {
            return "qloguniform";
        }

        @Override
        public boolean logScale() {
            return true;
        }

        @Override
        public JsonNode sample(RandomGenerator random) {
            return quantize(logSample(random, low, high));
        }

        @Override
        public List<JsonNode> grid(int points) {
            List<JsonNode> out = new ArrayList<>();
            for (double v : logspace(low, high, points)) {
                JsonNode node = quantize(v);
                if (out.stream().noneMatch(o -> sameValue(o, node))) {
                    out.add(node);
                }
            }
            return out;
        }

        @Override
        public Domain refine(List<JsonNode> best) {
            double[] span = span(best, low, high, true);
            return new QLogUniform(span[0], Math.max(span[1], Math.min(high, span[0] + q)), q, gridPoints);
        }

        @Override
        public ArrayNode bounds() {
            return JSON.arrayNode().add(low).add(high).add(q);
        }

        private boolean whole() {
            return low == Math.rint(low) && high == Math.rint(high) && q == Math.rint(q);
        }

        private JsonNode quantize(double v) {
            BigDecimal step = BigDecimal.valueOf(q);
            long lowSteps = (long) Math.ceil(low / q - 1e-9);
            long highSteps = (long) Math.floor(high / q + 1e-9);
            long steps = Math.max(lowSteps, Math.min(highSteps, Math.round(v / q)));
            BigDecimal value = step.multiply(BigDecimal.valueOf(steps));
            return whole() ? JSON.numberNode(value.longValue()) : JSON.numberNode(value.doubleValue());
        }
    }

    private static double logSample(RandomGenerator random, double low, double high) {
        double exponent = new UniformRealDistribution(random, Math.log10(low), Math.log10(high)).sample();
        return Math.min(high, Math.max(low, Math.pow(10, exponent)));
    }

    private static double[] linspace(double low, double high, int points) {
        if (points == 1) {
            return new double[] {(low + high) / 2};
        }
        double[] out = new double[points];
        for (int i = 0; i < points; i++) {
            out[i] = i == points - 1 ? high : low + (high - low) * i / (points - 1);
        }
        return out;
    }

    private static double[] logspace(double low, double high, int points) {
        double[] exps = linspace(Math.log10(low), Math.log10(high), points);
        double[] out = new double[points];
        for (int i = 0; i < points; i++) {
            out[i] = i == 0 && points > 1 ? low : i == points - 1 ? high : round(Math.pow(10, exps[i]), RoundingMode.HALF_EVEN);
        }
        return out;
    }

    /** The refined {@code [low, high]}: the best values' span, padded, rounded outwards to 3 digits, clipped. */
    private static double[] span(List<JsonNode> best, double low, double high, boolean log) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (JsonNode b : best) {
            if (b.isNumber()) {
                double v = log ? Math.log10(b.asDouble()) : b.asDouble();
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) {
            return new double[] {low, high};
        }
        double width = log ? Math.log10(high) - Math.log10(low) : high - low;
        double pad = REFINE_PAD * width;
        double lo = log ? Math.pow(10, min - pad) : min - pad;
        double hi = log ? Math.pow(10, max + pad) : max + pad;
        lo = Math.max(low, round(lo, RoundingMode.FLOOR));
        hi = Math.min(high, round(hi, RoundingMode.CEILING));
        return new double[] {lo, hi};
    }

    /** {@code v} to 3 significant digits, in the given direction. */
    private static double round(double v, RoundingMode mode) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        return new BigDecimal(v).round(new MathContext(3, mode)).doubleValue();
    }

    /** JSON equality that treats {@code 64}, {@code 64.0} and {@code 6.4e1} as the same number. */
    static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.asDouble() == b.asDouble();
        }
        return Objects.equals(a, b);
    }
}
