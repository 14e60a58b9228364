package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.engine.WeightInits;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** The scoring layer: fully connected to {@code units} outputs, with the loss the spec chooses. */
public final class OutputLayer implements LayerPlugin {

    @Override
    public String name() {
        return "output";
    }

    @Override
    public String help() {
        return "final fully connected layer with its loss: softmax cross-entropy, svm hinge, l1 or l2 regression";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.integer("units", 0, 0, null, "outputs; 0 means one per class"),
                ParamSpec.choice("loss", "softmax", List.of("softmax", "svm", "l1", "l2"),
                        "softmax = softmax + cross-entropy; svm = multiclass hinge sum_{j!=y} max(0, s_j - s_y + 1)"
                                + " on linear scores; l1/l2 = regression losses on linear outputs"),
                WeightInits.PARAM);
    }

    @Override
    public void addTo(GraphAssembly graph, Params p) {
        String loss = p.getString("loss");
        ILossFunction fn = switch (loss) {
            case "l1" -> new LossL1();
            case "l2" -> new LossL2();
            case "svm" -> new MulticlassHingeLoss();
            default -> new LossMCXENT();
        };
        int units = p.getInt("units") == 0 ? graph.classes() : p.getInt("units");
        graph.addLayer("output", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(fn)
                .nOut(units)
                .activation(loss.equals("softmax") ? Activation.SOFTMAX : Activation.IDENTITY)
                .weightInit(WeightInits.forLayer(p, graph))
                .build());
    }
}
