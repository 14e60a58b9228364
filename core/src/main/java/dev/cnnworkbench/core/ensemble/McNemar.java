package dev.cnnworkbench.core.ensemble;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * McNemar's paired test of two classifiers on the same test images: only the images exactly one of them gets right
 * carry information. Under "equally accurate" each such discordant image is a fair coin, so the exact two-sided
 * p-value is {@code min(1, 2 * P(X <= min(b, c)))} with {@code X ~ Binomial(b + c, 1/2)}. The chi-square statistic
 * with continuity correction, {@code (|b - c| - 1)^2 / (b + c)}, and its p-value (1 degree of freedom) are given too.
 *
 * @param bothRight   images both get right
 * @param onlyFirst   images only the first gets right ({@code b})
 * @param onlySecond  images only the second gets right ({@code c})
 * @param bothWrong   images both get wrong
 * @param chiSquare   the continuity-corrected statistic; 0 when there is no discordant image
 * @param chiSquareP  its p-value
 * @param pValue      the exact binomial two-sided p-value: the one to report
 */
public record McNemar(int bothRight, int onlyFirst, int onlySecond, int bothWrong, double chiSquare, double chiSquareP,
                      double pValue) {

    /** Compares predictions {@code first} and {@code second} against {@code labels}. */
    public static McNemar test(int[] labels, int[] first, int[] second) {
        if (first.length != labels.length || second.length != labels.length) {
            throw new IllegalArgumentException("predictions and labels differ in length: " + first.length + ", "
                    + second.length + ", " + labels.length);
        }
        int both = 0;
        int b = 0;
        int c = 0;
        int neither = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean x = first[i] == labels[i];
            boolean y = second[i] == labels[i];
            if (x && y) {
                both++;
            } else if (x) {
                b++;
            } else if (y) {
                c++;
            } else {
                neither++;
            }
        }
        return of(both, b, c, neither);
    }

    /** The test from the four counts of the paired table. */
    public static McNemar of(int bothRight, int onlyFirst, int onlySecond, int bothWrong) {
        int n = onlyFirst + onlySecond;
        if (n == 0) {
            return new McNemar(bothRight, onlyFirst, onlySecond, bothWrong, 0, 1, 1);
        }
        double exact = Math.min(1, 2 * new BinomialDistribution(null, n, 0.5)
                .cumulativeProbability(Math.min(onlyFirst, onlySecond)));
        double d = Math.max(0, Math.abs(onlyFirst - onlySecond) - 1.0);
        double chi = d * d / n;
        double chiP = 1 - new ChiSquaredDistribution(null, 1).cumulativeProbability(chi);
        return new McNemar(bothRight, onlyFirst, onlySecond, bothWrong, chi, chiP, exact);
    }

    /** Whether the difference is significant at level {@code alpha} (e.g. 0.05). */
    public boolean significant(double alpha) {
        return pValue < alpha;
    }
}
