package dev.cnnworkbench.core.plugin;

import java.util.Locale;

/** The four kinds of plugin a spec can name. */
public enum PluginKind {
    LAYER, OPTIMIZER, SCHEDULE, AUGMENTATION;

    /** The lower-case name used in specs, the CLI and JSON output. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label such as {@code "layer"}; throws with the accepted labels on anything else. */
    public static PluginKind fromLabel(String label) {
        for (PluginKind kind : values()) {
            if (kind.label().equalsIgnoreCase(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown plugin kind '" + label
                + "', expected one of layer, optimizer, schedule, augmentation");
    }
}
