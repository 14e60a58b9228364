package dev.cnnworkbench.core.ensemble;

import java.util.List;

/**
 * Ensemble arithmetic over class probabilities: {@code float[n][classes]}, one row per test image, each row a
 * probability distribution (a softmax output). The notes' recipe: average the members' predicted probability
 * distributions, then take the arg-max. Averaging is on probabilities, never on logits (the two differ: the mean of
 * logits weighs a confident member's scale, the mean of probabilities does not). Pure functions; thread-safe.
 */
public final class Ensembles {

    private Ensembles() {
    }

    /** The element-wise mean of the members' probabilities. All members must have the same shape. */
    public static float[][] average(List<float[][]> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        int n = members.get(0).length;
        int classes = n == 0 ? 0 : members.get(0)[0].length;
        double[][] sum = new double[n][classes];
        for (int m = 0; m < members.size(); m++) {
            float[][] p = members.get(m);
            if (p.length != n) {
                throw new IllegalArgumentException("member " + m + " scores " + p.length + " images, member 0 scores " + n);
            }
            for (int i = 0; i < n; i++) {
                if (p[i].length != classes) {
                    throw new IllegalArgumentException("member " + m + " has " + p[i].length + " classes at image " + i
                            + ", member 0 has " + classes);
                }
                for (int c = 0; c < classes; c++) {
                    sum[i][c] += p[i][c];
                }
            }
        }
        float[][] out = new float[n][classes];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                out[i][c] = (float) (sum[i][c] / members.size());
            }
        }
        return out;
    }

    /** Row-wise softmax of scores (logits), computed stably (the row's maximum is subtracted first). */
    public static float[][] softmax(float[][] logits) {
        float[][] out = new float[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            float[] row = logits[i];
            double max = Double.NEGATIVE_INFINITY;
            for (float v : row) {
                max = Math.max(max, v);
            }
            double[] e = new double[row.length];
            double sum = 0;
            for (int c = 0; c < row.length; c++) {
                e[c] = Math.exp(row[c] - max);
                sum += e[c];
            }
            out[i] = new float[row.length];
            for (int c = 0; c < row.length; c++) {
                out[i][c] = (float) (e[c] / sum);
            }
        }
        return out;
    }

    /** The predicted class of each row (the first of tied maxima). */
    public static int[] predictions(float[][] probabilities) {
        int[] out = new int[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            float[] row = probabilities[i];
            int best = 0;
            for (int c = 1; c < row.length; c++) {
                if (row[c] > row[best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Fraction of {@code predictions} equal to {@code labels}. */
    public static double accuracy(int[] predictions, int[] labels) {
        checkLength(predictions.length, labels);
        if (labels.length == 0) {
            return 0;
        }
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    public static double accuracy(float[][] probabilities, int[] labels) {
        return accuracy(predictions(probabilities), labels);
    }

    /** Mean cross-entropy {@code -log p(label)}, probabilities floored at {@code 1e-12}. */
    public static double logLoss(float[][] probabilities, int[] labels) {
        checkLength(probabilities.length, labels);
        if (labels.length == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum -= Math.log(Math.max(probabilities[i][labels[i]], 1e-12));
        }
        return sum / labels.length;
    }

    /**
     * Accuracy against the number of members: entry {@code m - 1} is the accuracy of the ensemble of the first
     * {@code m} members, in the given order (put the members in the order they should join).
     */
    public static double[] accuracyByMembers(List<float[][]> members, int[] labels) {
        double[] out = new double[members.size()];
        for (int m = 1; m <= members.size(); m++) {
            out[m - 1] = accuracy(average(members.subList(0, m)), labels);
        }
        return out;
    }

    private static void checkLength(int n, int[] labels) {
        if (n != labels.length) {
            throw new IllegalArgumentException(n + " predictions for " + labels.length + " labels");
        }
    }
}
