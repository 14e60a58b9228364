package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.engine.WeightInits;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * The basic residual block of ResNet-18/34: {@code relu(F(x) + shortcut(x))} with
 * {@code F = conv3x3(stride) -> batchnorm -> relu -> conv3x3 -> batchnorm} ("same" padding, no conv biases, which
 * batchnorm makes redundant). The shortcut is the identity, or a 1x1 convolution with the block's stride followed
 * by batchnorm (a projection) when the shape changes.
 *
 * <p>With {@code shortcut: "auto"} a projection is used when {@code stride > 1}. A block that changes the number of
 * channels at stride 1 needs {@code shortcut: "projection"}: a layer plugin does not see its input's shape, so
 * "auto" cannot detect that case, and the network then fails to build on the element-wise sum.
 */
public final class ResidualBlock implements LayerPlugin {

    @Override
    public String name() {
        return "residual";
    }

    @Override
    public String help() {
        return "basic residual block: two 3x3 convs with batchnorm + relu, identity or 1x1-projection shortcut";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.integer("filters", null, 1, null, "output channels of both convolutions"),
                ParamSpec.integer("stride", 1, 1, null, "stride of the first convolution (2 halves height and width)"),
                ParamSpec.choice("shortcut", "auto", List.of("auto", "identity", "projection"),
                        "auto = projection when stride > 1; use projection when filters change at stride 1"),
                ParamSpec.number("decay", 0.9, 0.0, 1.0, "batchnorm running-average decay"),
                ParamSpec.number("eps", 1e-5, 0.0, null, "batchnorm epsilon"),
                WeightInits.PARAM);
    }

    @Override
    public void addTo(GraphAssembly graph, Params p) {
        int filters = p.getInt("filters");
        int stride = p.getInt("stride");
        double decay = p.getDouble("decay");
        double eps = p.getDouble("eps");
        IWeightInit init = WeightInits.forLayer(p, graph);
        String shortcut = p.getString("shortcut");
        boolean project = shortcut.equals("projection") || (shortcut.equals("auto") && stride > 1);

        String input = graph.head();
        graph.addLayer("res_conv", conv(3, filters, stride, init));
        graph.addLayer("res_bn", BatchNormLayer.of(decay, eps));
        graph.addLayer("res_relu", relu());
        graph.addLayer("res_conv", conv(3, filters, 1, init));
        String residual = graph.addLayer("res_bn", BatchNormLayer.of(decay, eps));
        String identity = input;
        if (project) {
            graph.addLayer("res_proj", conv(1, filters, stride, init), input);
            identity = graph.addLayer("res_proj_bn", BatchNormLayer.of(decay, eps));
        }
        graph.addVertex("res_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), residual, identity);
        graph.addLayer("res_out", relu());
    }

    private static ConvolutionLayer conv(int kernel, int filters, int stride, IWeightInit init) {
        return new ConvolutionLayer.Builder(kernel, kernel)
                .nOut(filters)
                .stride(stride, stride)
                .convolutionMode(ConvolutionMode.Same)
                .hasBias(false)
                .activation(Activation.IDENTITY)
                .weightInit(init)
                .build();
    }

    private static org.deeplearning4j.nn.conf.layers.ActivationLayer relu() {
        return new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder().activation(Activation.RELU).build();
    }
}
