package dev.cnnworkbench.core.summary;

import java.util.Locale;

/**
 * What training a network takes in memory, estimated from its summary before anything is allocated: float32 values
 * (4 bytes), and
 * <ul>
 *   <li>parameters: DL4J's parameter vector, its gradient and up to two updater values per parameter (Adam's first
 *   and second moments): {@code 4 x stored values x 4 bytes};</li>
 *   <li>activations: what a forward pass keeps for the backward one and the backward pass's errors, for a whole
 *   mini-batch: {@code 2 x activation values x batch x 4 bytes};</li>
 *   <li>batch: the mini-batch's features twice (as read, and augmented) plus its one-hot labels.</li>
 * </ul>
 * These live in ND4J's off-heap memory; the estimate is a lower bound (workspaces and im2col buffers come on top), so
 * a network it refuses can certainly not train here. Counts saturate at {@link Long#MAX_VALUE}.
 *
 * @param parameterBytes  parameters, gradients and updater state
 * @param activationBytes forward activations and backward errors of one mini-batch
 * @param batchBytes      one mini-batch of features and labels
 */
public record MemoryEstimate(long parameterBytes, long activationBytes, long batchBytes) {

    private static final long FLOAT = 4;

    /** The estimate for training {@code summary}'s network on mini-batches of {@code batch} with {@code classes}. */
    public static MemoryEstimate of(ModelSummary summary, int batch, int classes) {
        long stored = summary.storedValues() < 0 ? Long.MAX_VALUE : summary.storedValues();
        long example = Saturating.product(summary.input().stream().mapToLong(Integer::longValue).toArray());
        return new MemoryEstimate(Saturating.product(stored, 4, FLOAT),
                Saturating.product(summary.activationValues(), batch, 2, FLOAT),
                Saturating.product(Saturating.add(Saturating.product(example, 2), classes), batch, FLOAT));
    }

    /**
     * What {@code files} saved networks of {@code summary} take on disk (parameters and up to two updater values each,
     * float32), plus {@code slack} bytes.
     */
    public static long networkFiles(ModelSummary summary, int files, long slack) {
        long stored = summary.storedValues() < 0 ? Long.MAX_VALUE : summary.storedValues();
        return Saturating.add(Saturating.product(stored, 3, FLOAT, files), slack);
    }

    /** The whole estimate. */
    public long totalBytes() {
        return Saturating.add(Saturating.add(parameterBytes, activationBytes), batchBytes);
    }

    /** {@code 12.3 GiB (parameters 1.0 GiB, activations 11.0 GiB, batch 1.3 GiB)}. */
    public String describe() {
        return bytes(totalBytes()) + " (parameters " + bytes(parameterBytes) + ", activations per batch "
                + bytes(activationBytes) + ", batch " + bytes(batchBytes) + ")";
    }

    /** A byte count for people: {@code 512 B}, {@code 3.2 MiB}, {@code more than 8 EiB}. */
    public static String bytes(long n) {
        if (n == Long.MAX_VALUE) {
            return "more than 8 EiB";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
