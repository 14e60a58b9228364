package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code model.init} written as an object: start from a saved network instead of random weights (transfer learning).
 * Every layer of {@code model.layers} but the output layer takes its weights from the checkpoint (same names, same
 * shapes); the output layer is new, sized for this spec's data and initialised with {@code weights}; the first
 * {@code freeze} entries of {@code model.layers} are frozen; the optimizer's learning rate is multiplied by
 * {@code lrScale} (the notes: fine-tune at 1/10 of the original rate). For example
 * {@code {"from": "run:3f2a9c0b1d4e", "freeze": 4}}.
 *
 * @param from    {@code run:RUN_ID} (that run's saved network, {@code HOME/artifacts/RUN_ID/model.zip}) or
 *                {@code file:PATH} (a DL4J model zip)
 * @param freeze  how many leading entries of {@code model.layers} keep their checkpoint weights unchanged, {@code >= 0}
 * @param lrScale factor on the optimizer's learning rate (and its whole schedule), {@code > 0}
 * @param weights initialisation of the layers the checkpoint does not provide ({@code xavier}, {@code he},
 *                {@code small-gaussian})
 */
public record TransferSpec(String from, int freeze, double lrScale, String weights) {

    public static final double DEFAULT_LR_SCALE = 0.1;
    static final Set<String> FIELDS = JsonReader.fields("from", "freeze", "lr_scale", "weights");
    private static final String RUN = "run:";
    private static final String FILE = "file:";

    public TransferSpec {
        if (runId(from) == null && file(from) == null) {
            throw new IllegalArgumentException("model.init.from must be run:RUN_ID or file:PATH, got " + from);
        }
        if (freeze < 0 || !(lrScale > 0)) {
            throw new IllegalArgumentException("model.init needs freeze >= 0 and lr_scale > 0");
        }
    }

    /** The run id of {@code run:ID}, or {@code null} when {@code from} names no run. */
    public static String runId(String from) {
        return from != null && from.startsWith(RUN) && from.substring(RUN.length()).matches("[A-Za-z0-9_\\-]+")
                ? from.substring(RUN.length()) : null;
    }

    /** The path of {@code file:PATH}, or {@code null} when {@code from} names no file. */
    public static String file(String from) {
        return from != null && from.startsWith(FILE) && !from.substring(FILE.length()).isBlank()
                ? from.substring(FILE.length()) : null;
    }

    /** The spec form, with every default written out. */
    @JsonValue
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", from);
        out.put("freeze", freeze);
        out.put("lr_scale", lrScale);
        out.put("weights", weights);
        return out;
    }

    /** Reads the object form of {@code model.init}; {@code null} after reporting its problems to {@code r}. */
    static TransferSpec read(JsonReader r, JsonNode node) {
        String path = "model.init";
        int before = r.errors().size();
        JsonNode t = r.object(node, path, FIELDS);
        String from = r.string(t, "from", path, null);
        if (from != null && runId(from) == null && file(from) == null) {
            r.error(path + ".from", "must be run:RUN_ID (a run of this home) or file:PATH (a model zip), got \""
                    + from + "\"");
        }
        long freeze = r.integer(t, "freeze", path, 0L, 0);
        double lrScale = r.number(t, "lr_scale", path, DEFAULT_LR_SCALE, 0);
        if (lrScale == 0) {
            r.error(path + ".lr_scale", "must be > 0, got 0");
        }
        String weights = r.string(t, "weights", path, "xavier");
        if (weights != null && !SpecParser.INITS.contains(weights)) {
            r.error(path + ".weights", "must be one of " + String.join(", ", SpecParser.INITS) + ", got \"" + weights + "\"");
        }
        if (r.errors().size() > before) {
            return null;
        }
        return new TransferSpec(from, (int) Math.min(freeze, Integer.MAX_VALUE), lrScale, weights);
    }
}
