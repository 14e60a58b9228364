package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network: input volume, weight initialisation, and the ordered layers.
 *
 * @param input    {@code [channels, height, width]}
 * @param init     the default weight initialisation ({@code xavier}, {@code he}, {@code small-gaussian}); with
 *                 {@code transfer}, the initialisation of the layers the checkpoint does not provide
 * @param layers   the layers in order, each naming a layer plugin
 * @param transfer the checkpoint to start from ({@code model.init} written as an object), or {@code null} to start
 *                 from random weights
 */
public record ModelSpec(List<Integer> input, String init, List<PluginRef> layers, TransferSpec transfer) {

    public ModelSpec {
        input = List.copyOf(input);
        layers = List.copyOf(layers);
    }

    /** A network initialised from random weights. */
    public ModelSpec(List<Integer> input, String init, List<PluginRef> layers) {
        this(input, init, layers, null);
    }

    /** The same model with other layers (the resolver's defaults filled in). */
    public ModelSpec withLayers(List<PluginRef> newLayers) {
        return new ModelSpec(input, init, newLayers, transfer);
    }

    public int channels() {
        return input.get(0);
    }

    public int height() {
        return input.get(1);
    }

    public int width() {
        return input.get(2);
    }

    /** The spec form: {@code init} is the scheme's name, or the transfer object. */
    @JsonValue
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("input", input);
        out.put("init", transfer == null ? init : transfer);
        out.put("layers", layers);
        return out;
    }
}
