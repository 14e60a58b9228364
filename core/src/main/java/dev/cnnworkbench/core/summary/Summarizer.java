package dev.cnnworkbench.core.summary;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.engine.NetworkFactory;
import dev.cnnworkbench.core.engine.WeightInits;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.ResolvedPlugin;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.spec.ModelSpec;
import dev.cnnworkbench.core.spec.SpecException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.schedule.FixedSchedule;

/** Builds a {@link ModelSummary} from an experiment's DL4J configuration. Stateless. */
final class Summarizer {

    private Summarizer() {
    }

    /** The vertices one spec layer added, and the head it left. */
    private record Owned(String type, String head, List<String> vertices) {
    }

    static ModelSummary summarize(Experiment experiment, int classes) {
        // The network exactly as training would build it (this also validates it), with a constant rate.
        ComputationGraphConfiguration conf =
                NetworkFactory.configure(experiment, new FixedSchedule(experiment.baseLearningRate()), classes);
        ModelSpec model = experiment.spec().model();
        InputType input = InputType.convolutional(model.height(), model.width(), model.channels());
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, InputType> types = new HashMap<>();
        types.put(GraphAssembly.INPUT, input);

        ReceptiveFields fields = new ReceptiveFields();
        List<LayerSummary> rows = new ArrayList<>();
        long totalParams = 0;
        long totalMacs = 0;
        long stored = 0;
        long activations = 0;
        ReceptiveField last = null;
        List<Owned> owners = owners(experiment, classes);
        for (int i = 0; i < owners.size(); i++) {
            Owned owned = owners.get(i);
            long params = 0;
            long macs = 0;
            for (String v : owned.vertices()) {
                InputType out = outputType(v, vertices.get(v), inputs.getOrDefault(v, List.of()), types,
                        experiment.layers().get(i).path());
                types.put(v, out);
                VertexCost cost = VertexCost.of(vertices.get(v), out);
                params = Saturating.add(params, cost.params());
                macs = Saturating.add(macs, cost.macs());
                stored = Saturating.add(stored, cost.stored());
                activations = Saturating.add(activations, Saturating.product(out.getShape(false)));
                long[] rf = fields.add(v, vertices.get(v), inputs.getOrDefault(v, List.of()), out);
                if (rf != null) {
                    last = new ReceptiveField(owned.head(), rf[0], rf[1]);
                }
            }
            totalParams = Saturating.add(totalParams, params);
            totalMacs = Saturating.add(totalMacs, macs);
            rows.add(new LayerSummary(owned.head(), owned.type(), shape(types.get(owned.head())), params, macs,
                    owned.vertices()));
        }
        return new ModelSummary(model.input(), rows, totalParams, totalMacs, stored, activations, last);
    }

    /**
     * Which vertices each spec layer adds. Layer plugins name vertices deterministically (base name and a
     * counter), so replaying them over a bare builder yields the same names as the configuration above.
     */
    private static List<Owned> owners(Experiment experiment, int classes) {
        GraphBuilder builder = new NeuralNetConfiguration.Builder().graphBuilder().addInputs(GraphAssembly.INPUT);
        GraphAssembly graph = GraphAssembly.over(builder, WeightInits.byName(experiment.spec().model().init()), classes);
        List<Owned> out = new ArrayList<>();
        for (ResolvedPlugin<LayerPlugin> layer : experiment.layers()) {
            Set<String> before = new LinkedHashSet<>(builder.getVertices().keySet());
            try {
                layer.plugin().addTo(graph, layer.params());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new SpecException(layer.path(), e.getMessage());
            }
            List<String> added = builder.getVertices().keySet().stream().filter(v -> !before.contains(v)).toList();
            out.add(new Owned(layer.plugin().name(), graph.head(), added));
        }
        return out;
    }

    /**
     * The output type of {@code name}, from its inputs' (vertices come in an order where inputs precede their
     * readers). DL4J accepts some layers whose output is empty (a kernel larger than its padded input); that is
     * reported here, at the spec layer that added the vertex.
     */
    private static InputType outputType(String name, GraphVertex vertex, List<String> inputs,
                                        Map<String, InputType> types, String path) {
        InputType[] in = inputs.stream().map(types::get).toArray(InputType[]::new);
        InputType out;
        try {
            out = vertex.getOutputType(-1, in);
        } catch (RuntimeException e) {
            throw new SpecException(path, "the layers do not fit together at " + name + ": " + e.getMessage());
        }
        for (long d : out.getShape(false)) {
            if (d < 1) {
                throw new SpecException(path, name + " would output " + shapeText(shape(out))
                        + ": its input " + shapeText(shape(in[0])) + " is too small for it");
            }
        }
        return out;
    }

    private static String shapeText(List<Long> shape) {
        return shape.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" x "));
    }

    private static List<Long> shape(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return List.of(c.getChannels(), c.getHeight(), c.getWidth());
        }
        if (type instanceof InputType.InputTypeFeedForward f) {
            return List.of(f.getSize());
        }
        long[] s = type.getShape(false);
        List<Long> out = new ArrayList<>();
        for (long d : s) {
            out.add(d);
        }
        return out;
    }

    /**
     * Receptive fields of spatial vertices: for a kernel {@code K} (dilation {@code D}) and stride {@code S},
     * {@code rf = rf_in + (D * (K - 1)) * jump_in} and {@code jump = jump_in * S}; other vertices with a spatial
     * output take the largest field among their inputs.
     */
    private static final class ReceptiveFields {
        /** vertex -> {rfH, rfW, jumpH, jumpW} */
        private final Map<String, long[]> byVertex = new HashMap<>();

        ReceptiveFields() {
            byVertex.put(GraphAssembly.INPUT, new long[] {1, 1, 1, 1});
        }

        /** Records {@code name}'s field and returns {@code {height, width}}, or null when its output is not spatial. */
        long[] add(String name, GraphVertex vertex, List<String> inputs, InputType out) {
            if (!(out instanceof InputType.InputTypeConvolutional)) {
                return null;
            }
            long[] in = {1, 1, 1, 1};
            for (String i : inputs) {
                long[] f = byVertex.get(i);
                if (f != null) {
                    for (int k = 0; k < 4; k++) {
                        in[k] = Math.max(in[k], f[k]);
                    }
                }
            }
            long[] field = in.clone();
            int[][] window = window(vertex);
            if (window != null) {
                int[] kernel = window[0];
                int[] stride = window[1];
                int[] dilation = window[2];
                for (int d = 0; d < 2; d++) {
                    field[d] = in[d] + (long) dilation[d] * (kernel[d] - 1) * in[d + 2];
                    field[d + 2] = in[d + 2] * stride[d];
                }
            }
            byVertex.put(name, field);
            return new long[] {field[0], field[1]};
        }

        /** {kernel, stride, dilation} of a convolution or pooling vertex, else null. */
        private static int[][] window(GraphVertex vertex) {
            if (!(vertex instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv)) {
                return null;
            }
            var layer = lv.getLayerConf().getLayer();
            if (layer instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer c) {
                return new int[][] {c.getKernelSize(), c.getStride(), c.getDilation()};
            }
            if (layer instanceof org.deeplearning4j.nn.conf.layers.SubsamplingLayer s) {
                int[] dilation = s.getDilation() == null ? new int[] {1, 1} : s.getDilation();
                return new int[][] {s.getKernelSize(), s.getStride(), dilation};
            }
            return null;
        }
    }
}
