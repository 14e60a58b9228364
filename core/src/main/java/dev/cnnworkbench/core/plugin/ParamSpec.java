package dev.cnnworkbench.core.plugin;

import java.util.List;
import java.util.Objects;

/**
 * One parameter of a plugin: what the spec validator checks, what {@code workbench plugins} lists.
 *
 * @param name         the key in the spec object
 * @param type         the value type
 * @param defaultValue the value used when the spec omits the key; {@code null} makes the key required
 * @param min          the smallest allowed number (inclusive), or {@code null}
 * @param max          the largest allowed number (inclusive), or {@code null}
 * @param choices      the allowed words for a {@link ParamType#STRING} (empty means free text), or the words an
 *                     {@link ParamType#INT_PAIR} accepts besides numbers (such as {@code "same"})
 * @param help         one line for people
 */
public record ParamSpec(String name, ParamType type, Object defaultValue, Double min, Double max,
                        List<String> choices, String help) {

    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = choices == null ? List.of() : List.copyOf(choices);
        help = help == null ? "" : help;
    }

    /** A required parameter, or an optional one when {@code defaultValue} is non-null. */
    public static ParamSpec of(String name, ParamType type, Object defaultValue, String help) {
        return new ParamSpec(name, type, defaultValue, null, null, List.of(), help);
    }

    /** A number bounded to {@code [min, max]}; either bound may be {@code null}. */
    public static ParamSpec number(String name, Object defaultValue, Double min, Double max, String help) {
        return new ParamSpec(name, ParamType.NUMBER, defaultValue, min, max, List.of(), help);
    }

    /** A whole number bounded to {@code [min, max]}; either bound may be {@code null}. */
    public static ParamSpec integer(String name, Object defaultValue, Integer min, Integer max, String help) {
        return new ParamSpec(name, ParamType.INT, defaultValue, min == null ? null : min.doubleValue(),
                max == null ? null : max.doubleValue(), List.of(), help);
    }

    /** One word out of {@code choices}. */
    public static ParamSpec choice(String name, String defaultValue, List<String> choices, String help) {
        return new ParamSpec(name, ParamType.STRING, defaultValue, null, null, choices, help);
    }

    /** Whether a spec must give this parameter. */
    public boolean required() {
        return defaultValue == null;
    }
}
