package dev.cnnworkbench.core.engine;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;

/**
 * The network under construction, as layer plugins see it: a DL4J graph with a movable head (the
 * vertex the next layer attaches to). Vertex names are generated from a base name and a counter
 * ({@code conv1}, {@code conv2}, ...). Used by one thread while a network is built, then discarded.
 */
public final class GraphAssembly {

    /** The name of the network's input vertex. */
    public static final String INPUT = "input";

    private final GraphBuilder builder;
    private final IWeightInit defaultInit;
    private final int classes;
    private final Map<String, Integer> counters = new HashMap<>();
    private String head = INPUT;
    private String lastLayer;

    /**
     * An assembly over {@code builder}, whose inputs are already declared; the head starts at
     * {@link #INPUT}. For the engine, and for plugin authors' tests.
     */
    public static GraphAssembly over(GraphBuilder builder, IWeightInit defaultInit, int classes) {
        return new GraphAssembly(builder, defaultInit, classes);
    }

    private GraphAssembly(GraphBuilder builder, IWeightInit defaultInit, int classes) {
        this.builder = builder;
        this.defaultInit = defaultInit;
        this.classes = classes;
    }

    /** The vertex the next layer will read from. */
    public String head() {
        return head;
    }

    /** Makes {@code vertex} the head, e.g. after adding a block whose output is not the last vertex added. */
    public void moveHead(String vertex) {
        head = vertex;
    }

    /** The number of classes in the data, the natural width of an output layer. */
    public int classes() {
        return classes;
    }

    /** The model-wide weight initialisation ({@code model.init}). */
    public IWeightInit defaultInit() {
        return defaultInit;
    }

    /** A fresh vertex name: {@code base} followed by 1, 2, ... in order of use. */
    public String name(String base) {
        int n = counters.merge(base, 1, Integer::sum);
        return base + n;
    }

    /** Adds {@code layer} reading from the head, names it after {@code base}, and moves the head onto it. */
    public String addLayer(String base, Layer layer) {
        return addLayer(base, layer, head);
    }

    /** Adds {@code layer} reading from {@code inputs}, names it after {@code base}, and moves the head onto it. */
    public String addLayer(String base, Layer layer, String... inputs) {
        String name = name(base);
        builder.addLayer(name, layer, inputs);
        head = name;
        lastLayer = name;
        return name;
    }

    /** Adds a non-layer vertex (merge, element-wise sum, ...) reading from {@code inputs}; moves the head onto it. */
    public String addVertex(String base, GraphVertex vertex, String... inputs) {
        String name = name(base);
        builder.addVertex(name, vertex, inputs);
        head = name;
        return name;
    }

    /** The most recently added layer vertex, or {@code null} before the first. */
    String lastLayer() {
        return lastLayer;
    }
}
