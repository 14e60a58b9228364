package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * {@code train.early_stopping}: stop when the validation metric has not improved for {@code patience} epochs, and
 * keep the network of the best epoch (the one tested and saved as the run's model). For example
 * {@code {"metric": "val_accuracy", "patience": 3}}. Needs a validation set ({@code train.validation > 0}).
 *
 * @param metric    {@code val_accuracy} (higher is better) or {@code val_loss} (lower is better)
 * @param patience  epochs without improvement after which training stops, {@code >= 1}
 * @param minDelta  an epoch improves on the best only by more than this, {@code >= 0}
 */
public record EarlyStoppingSpec(String metric, int patience, @JsonProperty("min_delta") double minDelta) {

    /** The metrics early stopping may watch, with whether higher is better. */
    public static final List<String> METRICS = List.of("val_accuracy", "val_loss");
    static final Set<String> FIELDS = JsonReader.fields("metric", "patience", "min_delta");

    public EarlyStoppingSpec {
        if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException("train.early_stopping.metric must be one of " + METRICS + ", got " + metric);
        }
        if (patience < 1 || !(minDelta >= 0)) {
            throw new IllegalArgumentException("train.early_stopping needs patience >= 1 and min_delta >= 0");
        }
    }

    /** Whether a larger value of {@link #metric} is better. */
    @JsonIgnore
    public boolean higherIsBetter() {
        return metric.endsWith("accuracy");
    }

    /** Whether {@code value} beats {@code best} by more than {@link #minDelta}; anything beats a missing best. */
    public boolean improves(double value, Double best) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (best == null) {
            return true;
        }
        return higherIsBetter() ? value > best + minDelta : value < best - minDelta;
    }

    /** Reads {@code train.early_stopping}; {@code null} when absent. Problems go to {@code r} with their paths. */
    static EarlyStoppingSpec read(JsonReader r, JsonNode train) {
        JsonNode node = train.get("early_stopping");
        if (node == null || node.isNull()) {
            return null;
        }
        String path = "train.early_stopping";
        int before = r.errors().size();
        JsonNode e = r.object(node, path, FIELDS);
        if (!node.isObject()) {
            return null;
        }
        String metric = r.string(e, "metric", path, "val_accuracy");
        if (metric != null && !METRICS.contains(metric)) {
            r.error(path + ".metric", "must be one of " + String.join(", ", METRICS) + ", got \"" + metric + "\"");
        }
        long patience = r.integer(e, "patience", path, null, 1);
        double minDelta = r.number(e, "min_delta", path, 0, 0);
        if (r.errors().size() > before) {
            return null;
        }
        return new EarlyStoppingSpec(metric, (int) Math.min(patience, Integer.MAX_VALUE), minDelta);
    }
}
