package dev.cnnworkbench.core.spec;

import java.util.List;

/**
 * The network: input volume, default weight initialisation, and the ordered layers.
 *
 * @param input  {@code [channels, height, width]}
 * @param init   the default weight initialisation ({@code xavier}, {@code he}, {@code small-gaussian})
 * @param layers the layers in order, each naming a layer plugin
 */
public record ModelSpec(List<Integer> input, String init, List<PluginRef> layers) {

    public ModelSpec {
        input = List.copyOf(input);
        layers = List.copyOf(layers);
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
}
