package dev.cnnworkbench.core.summary;

/** Sizes and counts of absurd networks stay at {@link Long#MAX_VALUE} instead of wrapping negative. Stateless. */
final class Saturating {

    private Saturating() {
    }

    static long add(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** The product of non-negative {@code factors}, or {@link Long#MAX_VALUE} when it does not fit a long. */
    static long product(long... factors) {
        long out = 1;
        for (long f : factors) {
            if (f != 0 && out > Long.MAX_VALUE / f) {
                return Long.MAX_VALUE;
            }
            out *= f;
        }
        return out;
    }
}
