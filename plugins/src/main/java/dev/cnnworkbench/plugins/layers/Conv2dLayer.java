package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.engine.WeightInits;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.ParamType;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;

/** 2-D convolution: {@code filters} kernels of {@code kernel} over all input channels. */
public final class Conv2dLayer implements LayerPlugin {

    @Override
    public String name() {
        return "conv2d";
    }

    @Override
    public String help() {
        return "2-D convolution; output size (W - K + 2P) / S + 1, or ceil(W / S) with padding \"same\"";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.integer("filters", null, 1, null, "number of filters (output channels)"),
                new ParamSpec("kernel", ParamType.INT_PAIR, 3, 1.0, null, List.of(), "kernel size K, or [height, width]"),
                new ParamSpec("stride", ParamType.INT_PAIR, 1, 1.0, null, List.of(), "stride S, or [height, width]"),
                new ParamSpec("padding", ParamType.INT_PAIR, 0, 0.0, null, List.of(Padding.SAME),
                        "zero padding P, [height, width], or \"same\" to keep the size (at stride 1)"),
                new ParamSpec("dilation", ParamType.INT_PAIR, 1, 1.0, null, List.of(), "dilation, or [height, width]"),
                Activations.param("identity"),
                WeightInits.PARAM);
    }

    @Override
    public void addTo(GraphAssembly graph, Params p) {
        int[] kernel = p.getPair("kernel");
        ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(kernel)
                .nOut(p.getInt("filters"))
                .stride(p.getPair("stride"))
                .dilation(p.getPair("dilation"))
                .activation(Activations.byName(p.getString("activation")))
                .weightInit(WeightInits.forLayer(p, graph));
        Padding.apply(p, b::convolutionMode, b::padding);
        graph.addLayer("conv", b.build());
    }
}
