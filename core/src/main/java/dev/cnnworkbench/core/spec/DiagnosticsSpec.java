package dev.cnnworkbench.core.spec;

/**
 * The {@code diagnostics} section of a spec: how closely training is watched (per-layer update ratios, gradient and
 * weight norms, activation statistics, histograms, warnings). On by default at a cost meant to stay in the noise;
 * {@code "diagnostics": {"every": 0}} turns the per-layer statistics off.
 *
 * @param every      per-layer statistics every this many iterations; 0 = never
 * @param histograms whether weight and activation histograms are recorded at epoch ends
 */
public record DiagnosticsSpec(int every, boolean histograms) {

    /** What a spec without a {@code diagnostics} section gets. */
    public static final DiagnosticsSpec DEFAULT = new DiagnosticsSpec(50, true);

    public DiagnosticsSpec {
        if (every < 0) {
            throw new IllegalArgumentException("diagnostics.every must be >= 0, got " + every);
        }
    }
}
