package dev.cnnworkbench.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One point of a sweep: the values it gives the swept spec paths. Its run is an ordinary run of the base spec
 * with these values set (as {@code --set path=value} would), named {@link #name(String)}. Immutable.
 *
 * @param number 1-based, stable for a given sweep spec (it names the run, and resuming relies on it)
 * @param values spec path to JSON value, in the sweep's parameter order
 */
public record Trial(int number, Map<String, JsonNode> values) {

    public Trial {
        if (number < 1) {
            throw new IllegalArgumentException("trial numbers start at 1, got " + number);
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The values as overrides for {@code SpecOverrides}: {@code optimizer.lr=1.0E-4}. */
    public List<String> overrides() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().toString()).toList();
    }

    /** The trial's run name: {@code <sweep>-trial-007}. */
    public String name(String sweepId) {
        return String.format(Locale.ROOT, "%s-trial-%03d", sweepId, number);
    }

    /** The values for people: {@code optimizer.lr=0.000123 regularization.l2=4.56}. */
    public String describe() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + format(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    /** A value short enough for a table: numbers to 3 significant digits. */
    public static String format(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.asText();
        }
        if (value.isNumber()) {
            return String.format(Locale.ROOT, "%.3g", value.asDouble());
        }
        return value.isTextual() ? value.asText() : value.toString();
    }
}
