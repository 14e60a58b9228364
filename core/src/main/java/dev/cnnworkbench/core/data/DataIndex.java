package dev.cnnworkbench.core.data;

import java.util.List;

/**
 * What a data set decoded to, besides its pixels (kept next to them in the cache): one label and one split per
 * row of the {@link ImageStore}, the class names, and the files left out.
 *
 * @param count       rows in the store
 * @param channels    channels per image
 * @param height      image height
 * @param width       image width
 * @param labels      per row: its class, or -1 for a row left out (an image that could not be decoded)
 * @param splits      per row: the {@link Split#ordinal()} its files give it
 * @param classNames  the name of each class, by label
 * @param skipped     the files left out under {@code data.on_bad: skip}, each {@code "path: why"}
 * @param fingerprint the data set's fingerprint ({@link Fingerprint})
 * @param seen        the files' own shapes before fitting, {@code "HxWxC"}, with how many images had each
 */
public record DataIndex(int count, int channels, int height, int width, int[] labels, byte[] splits,
                        List<String> classNames, List<String> skipped, String fingerprint,
                        java.util.Map<String, Integer> seen) {

    public DataIndex {
        classNames = List.copyOf(classNames);
        skipped = List.copyOf(skipped);
        seen = java.util.Map.copyOf(seen);
        if (labels.length != count || splits.length != count) {
            throw new IllegalArgumentException(count + " rows but " + labels.length + " labels and " + splits.length
                    + " splits");
        }
    }

    public Split split(int row) {
        return Split.values()[splits[row]];
    }

    DataIndex withFingerprint(String fingerprint) {
        return new DataIndex(count, channels, height, width, labels, splits, classNames, skipped, fingerprint, seen);
    }
}
