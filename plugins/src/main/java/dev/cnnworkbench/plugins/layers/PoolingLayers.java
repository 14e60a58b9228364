package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.ParamType;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/** Spatial pooling over {@code kernel} windows (max or average); no parameters to learn. */
abstract class PoolingLayers implements LayerPlugin {

    private final PoolingType type;

    PoolingLayers(PoolingType type) {
        this.type = type;
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                new ParamSpec("kernel", ParamType.INT_PAIR, 2, 1.0, null, List.of(), "window size, or [height, width]"),
                new ParamSpec("stride", ParamType.INT_PAIR, 2, 1.0, null, List.of(), "stride, or [height, width]"),
                new ParamSpec("padding", ParamType.INT_PAIR, 0, 0.0, null, List.of(Padding.SAME),
                        "zero padding, [height, width], or \"same\""));
    }

    @Override
    public void addTo(GraphAssembly graph, Params p) {
        SubsamplingLayer.Builder b = new SubsamplingLayer.Builder(type)
                .kernelSize(p.getPair("kernel"))
                .stride(p.getPair("stride"));
        Padding.apply(p, b::convolutionMode, b::padding);
        graph.addLayer("pool", b.build());
    }

    /** Max pooling: the largest value of each window. */
    public static final class Max extends PoolingLayers {
        public Max() {
            super(PoolingType.MAX);
        }

        @Override
        public String name() {
            return "maxpool";
        }

        @Override
        public String help() {
            return "max pooling; 2x2 stride 2 halves height and width";
        }
    }

    /** Average pooling: the mean of each window. */
    public static final class Avg extends PoolingLayers {
        public Avg() {
            super(PoolingType.AVG);
        }

        @Override
        public String name() {
            return "avgpool";
        }

        @Override
        public String help() {
            return "average pooling over windows";
        }
    }
}
