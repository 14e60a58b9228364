package dev.cnnworkbench.core.data;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Per-channel normalisation applied as images are read: {@code (v / 255 - mean[c]) / std[c]}. The statistics come
 * from the training split only ({@link ChannelStats}) and are applied unchanged to validation, test and inference
 * data; a run stores them in its provenance ({@code data.mean}, {@code data.std}).
 *
 * @param mean per channel, in the {@code [0, 1]} pixel scale
 * @param std  per channel, all {@code > 0} (all 1 when only the mean is subtracted)
 */
public record Normalization(float[] mean, float[] std) {

    /** Pixels read as {@code v / 255}. */
    public static final Normalization NONE = new Normalization(new float[0], new float[0]);

    public Normalization {
        mean = mean.clone();
        std = std.clone();
        if (mean.length != std.length) {
            throw new IllegalArgumentException(mean.length + " means but " + std.length + " deviations");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("a standard deviation must be > 0, got " + s);
            }
        }
    }

    public boolean isNone() {
        return mean.length == 0;
    }

    /** The value of byte {@code v} (0..255) of channel {@code c}. */
    float apply(int v, int c) {
        float x = v / 255f;
        return mean.length == 0 ? x : (x - mean[c]) / std[c];
    }

    /** The statistics as provenance entries ({@code data.mean}, {@code data.std}), empty for {@link #NONE}. */
    public java.util.Map<String, String> provenance() {
        if (isNone()) {
            return java.util.Map.of();
        }
        return java.util.Map.of("data.mean", list(mean), "data.std", list(std));
    }

    /**
     * The normalisation {@link #provenance()} wrote into {@code provenance} ({@code data.mean}, and {@code data.std}
     * when present, else all 1); {@link #NONE} when it has no {@code data.mean}.
     *
     * @throws IllegalArgumentException naming the entry when it is not a list of numbers as written there
     */
    public static Normalization fromProvenance(java.util.Map<String, String> provenance) {
        String mean = provenance.get("data.mean");
        if (mean == null) {
            return NONE;
        }
        float[] m = parse("data.mean", mean);
        String std = provenance.get("data.std");
        float[] s = std == null ? new float[m.length] : parse("data.std", std);
        if (std == null) {
            Arrays.fill(s, 1f);
        }
        return new Normalization(m, s);
    }

    private static float[] parse(String key, String text) {
        String t = text.trim();
        if (!t.startsWith("[") || !t.endsWith("]") || t.length() == 2) {
            throw new IllegalArgumentException(key + " must be a list of numbers such as [0.5,0.5,0.5], got " + text);
        }
        String[] parts = t.substring(1, t.length() - 1).split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a list of numbers, got " + text, e);
            }
        }
        return out;
    }

    private static String list(float[] values) {
        // Float.toString: the shortest text that reads back as the same float, so the record is exact
        return IntStream.range(0, values.length).mapToObj(i -> Float.toString(values[i]))
                .collect(Collectors.joining(",", "[", "]"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return isNone() ? "none" : "mean " + list(mean) + " std " + list(std);
    }
}
