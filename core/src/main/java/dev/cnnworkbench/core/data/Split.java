package dev.cnnworkbench.core.data;

import java.util.Locale;

/** Which part of a data set an image belongs to, as its files say; {@link #ANY} when they do not say. */
public enum Split {
    TRAIN, VAL, TEST, ANY;

    /** The split named {@code name} in a manifest or folder ({@code train}, {@code val}/{@code validation}, {@code test}). */
    static Split named(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "train" -> TRAIN;
            case "val", "validation" -> VAL;
            case "test" -> TEST;
            default -> throw new IllegalArgumentException("'" + name + "' is not a split (expected train, val or test)");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
