package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.engine.MetricSink;
import java.util.HashSet;
import java.util.Set;

/**
 * The run's training-health warnings, each at most once per run per kind and layer. The kinds are stable short codes
 * (see {@link #INITIAL_LOSS} and friends); the message names the layer, the measured value, the expected one and
 * what to try. Training thread only.
 */
final class Warnings {

    static final String INITIAL_LOSS = "initial_loss";
    static final String UPDATE_RATIO = "update_ratio";
    static final String VANISHING_GRADIENT = "vanishing_gradient";
    static final String EXPLODING_GRADIENT = "exploding_gradient";
    static final String SATURATED_ACTIVATION = "saturated_activation";
    static final String DEAD_RELU = "dead_relu";
    /** A diagnostic that could not be produced (e.g. a PNG that failed to render); training goes on. */
    static final String DIAGNOSTICS_FAILED = "diagnostics_failed";

    private final MetricSink sink;
    private final Set<String> issued = new HashSet<>();

    Warnings(MetricSink sink) {
        this.sink = sink;
    }

    /**
     * Sends the warning unless one of this kind about this layer was already sent.
     *
     * @param layer the layer it is about, or {@code null} for the whole network
     * @return whether it was sent
     */
    boolean warn(String kind, String layer, long step, String message) {
        if (!issued.add(kind + "/" + (layer == null ? "" : layer))) {
            return false;
        }
        sink.warn(kind, step, message);
        return true;
    }

    boolean issued(String kind, String layer) {
        return issued.contains(kind + "/" + (layer == null ? "" : layer));
    }
}
