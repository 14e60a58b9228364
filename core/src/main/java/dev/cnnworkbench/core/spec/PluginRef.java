package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A plugin named in a spec ({@code {"type": "conv2d", "filters": 20}}): the type and the remaining keys
 * as parameters, JSON-typed (Number, String, Boolean, List). Checked against the plugin's schema by
 * {@link SpecResolver}.
 */
public record PluginRef(String type, Map<String, Object> params) {

    public PluginRef {
        Objects.requireNonNull(type, "type");
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static PluginRef of(String type) {
        return new PluginRef(type, Map.of());
    }

    /** The spec form: {@code type} first, then the parameters. */
    @JsonValue
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type);
        out.putAll(params);
        return out;
    }
}
