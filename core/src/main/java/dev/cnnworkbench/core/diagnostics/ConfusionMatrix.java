package dev.cnnworkbench.core.diagnostics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How often each true class was predicted as each class: {@code counts[true][predicted]}. Immutable by convention.
 *
 * @param set     which images, e.g. {@code validation}, {@code test}
 * @param classes the class names, in label order
 */
record ConfusionMatrix(String set, List<String> classes, long[][] counts) {

    static ConfusionMatrix of(String set, List<String> classes, int[] labels, int[] predictions) {
        if (labels.length != predictions.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        }
        int c = classes.size();
        long[][] counts = new long[c][c];
        for (int i = 0; i < labels.length; i++) {
            counts[labels[i]][predictions[i]]++;
        }
        return new ConfusionMatrix(set, List.copyOf(classes), counts);
    }

    long total() {
        long t = 0;
        for (long[] row : counts) {
            for (long v : row) {
                t += v;
            }
        }
        return t;
    }

    double accuracy() {
        long correct = 0;
        for (int i = 0; i < counts.length; i++) {
            correct += counts[i][i];
        }
        long t = total();
        return t == 0 ? Double.NaN : (double) correct / t;
    }

    /** Recall of class {@code c}: the fraction of its images predicted as {@code c}. */
    double recall(int c) {
        long row = 0;
        for (long v : counts[c]) {
            row += v;
        }
        return row == 0 ? Double.NaN : (double) counts[c][c] / row;
    }

    /**
     * The JSON form the dashboard draws:
     * {@code {"set": "test", "classes": [...], "rows": "true class", "columns": "predicted class",
     * "matrix": [[...], ...], "total": 10000, "accuracy": 0.9, "recall": [...]}}.
     */
    Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("set", set);
        out.put("classes", classes);
        out.put("rows", "true class");
        out.put("columns", "predicted class");
        out.put("matrix", counts);
        out.put("total", total());
        out.put("accuracy", nullIfNaN(accuracy()));
        List<Double> recall = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            recall.add(nullIfNaN(recall(c)));
        }
        out.put("recall", recall);
        return out;
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
