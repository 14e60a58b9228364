package dev.cnnworkbench.core.plugin;

import dev.cnnworkbench.core.spec.SpecError;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plugin's parameter values after validation against its {@link ParamSpec}s: every declared key
 * present (defaults filled in), every value of its declared type. Immutable.
 */
public final class Params {

    private final Map<String, Object> values;

    private Params(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Checks {@code raw} (spec values, JSON-typed: Number, String, Boolean, List) against
     * {@code schema}, appending each problem to {@code errors} with {@code path} as prefix.
     * Returns the validated values (possibly incomplete when errors were added).
     */
    public static Params validate(List<ParamSpec> schema, Map<String, Object> raw, String path,
                                  List<SpecError> errors) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : raw.keySet()) {
            if (schema.stream().noneMatch(p -> p.name().equals(key))) {
                List<String> known = schema.stream().map(ParamSpec::name).toList();
                errors.add(new SpecError(path + "." + key,
                        "unknown parameter, expected one of " + (known.isEmpty() ? "(none)" : String.join(", ", known))));
            }
        }
        for (ParamSpec p : schema) {
            Object value = raw.containsKey(p.name()) ? raw.get(p.name()) : p.defaultValue();
            String at = path + "." + p.name();
            if (value == null) {
                errors.add(new SpecError(at, "is required (" + p.type().name().toLowerCase() + ": " + p.help() + ")"));
                continue;
            }
            Object checked = ParamChecks.check(p, value, at, errors);
            if (checked != null) {
                out.put(p.name(), checked);
            }
        }
        return new Params(out);
    }

    /** Values as they will be recorded with the run, defaults included. */
    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public int getInt(String name) {
        return ((Number) require(name)).intValue();
    }

    public double getDouble(String name) {
        return ((Number) require(name)).doubleValue();
    }

    public boolean getBoolean(String name) {
        return (Boolean) require(name);
    }

    public String getString(String name) {
        return (String) require(name);
    }

    /** Whether the parameter holds the word {@code word} (an {@link ParamType#INT_PAIR} may allow words). */
    public boolean isWord(String name, String word) {
        return word.equals(values.get(name));
    }

    /** An {@link ParamType#INT_PAIR} as {@code {height, width}}. */
    public int[] getPair(String name) {
        List<Integer> list = getIntList(name);
        return new int[] {list.get(0), list.get(1)};
    }

    @SuppressWarnings("unchecked")
    public List<Integer> getIntList(String name) {
        return (List<Integer>) require(name);
    }

    @SuppressWarnings("unchecked")
    public List<Double> getNumberList(String name) {
        return (List<Double>) require(name);
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("parameter '" + name + "' was not declared or not validated");
        }
        return v;
    }

    /** Builds params directly, for tests and for plugins that compose others. No validation. */
    public static Params of(Map<String, Object> values) {
        return new Params(new LinkedHashMap<>(values));
    }

    @Override
    public String toString() {
        return values.toString();
    }

}
