package dev.cnnworkbench.core.sanity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The notes' gradient check ("always use the analytic gradient, but check it with the numerical one"), on the whole
 * network: the spec's network in double precision, regularisation off, on {@value #INPUTS} random images with random
 * labels; analytic gradients from DL4J's backpropagation (divided by the batch size by DL4J's updater, as in
 * training) against central differences of the loss with step {@value #EPS}; relative error
 * {@code |a - n| / (|a| + |n|)} (cs231n). An entry fails when its relative error exceeds {@value #MAX_REL_ERROR}
 * and its absolute error is at least {@value #MIN_ABS_ERROR} (below that both are numerically zero); the reported
 * error is the largest among failed entries and those whose gradients are large enough for a relative error to mean
 * something ({@code |a| + |n| >= 1e-5}), so the check fails exactly when the reported error exceeds
 * {@value #MAX_REL_ERROR}. The method and thresholds are DL4J's {@code GradientCheckUtil}'s, which cannot sample the
 * parameters of a ComputationGraph and does not return the error; this check measures {@value #PER_ARRAY} entries of
 * every parameter array, half of them where the analytic gradient is largest, and reports the largest error.
 *
 * <p>Layers that need handling: dropout and other regularisation are turned off (the notes: "turn all regularization
 * off"), and the random-number generator is reseeded before every forward pass anyway; batch normalisation runs in
 * training mode throughout (batch statistics, whose gradient backpropagation includes), and its running mean and
 * variance, which are parameters that no gradient trains, are skipped; random pixels rather than images keep the
 * inputs of ReLUs and max-pooling away from their kinks (real images' zero background puts them exactly on one).
 */
final class GradientCheck implements SanityCheck {

    static final int INPUTS = 4;
    static final double EPS = 1e-6;
    static final double MAX_REL_ERROR = 1e-3;
    static final double MIN_ABS_ERROR = 1e-8;
    static final int PER_ARRAY = 16;

    @Override
    public String name() {
        return "gradient_check";
    }

    @Override
    public String description() {
        return "numerical against analytic gradients of the whole network, double precision";
    }

    @Override
    public CheckResult run(CheckContext c) {
        ComputationGraph net = CheckNetworks.init(forGradientCheck(CheckNetworks.withoutRegularization(
                CheckNetworks.configure(c.experiment(), c.classes(), 1.0, DataType.DOUBLE))));
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(c.seed() ^ 0x6AD1L);
        DataSet data = randomData(c, random);
        long seed = c.seed();

        Nd4j.getRandom().setSeed(seed);
        net.setInputs(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        Gradient gradient = net.gradient();
        new ComputationGraphUpdater(net).update(gradient, 0, 0, INPUTS, LayerWorkspaceMgr.noWorkspaces());
        Map<String, INDArray> analytic = new LinkedHashMap<>();
        gradient.gradientForVariable().forEach((k, v) -> analytic.put(k, v.dup()));

        double worst = 0;
        String worstAt = "none";
        int checked = 0;
        List<Map.Entry<String, INDArray>> arrays = trainable(net, analytic);
        for (int a = 0; a < arrays.size(); a++) {
            String name = arrays.get(a).getKey();
            INDArray param = arrays.get(a).getValue();
            INDArray grad = analytic.get(name);
            for (long i : entries(grad, random)) {
                long[] at = Shape.ind2subC(param.shape(), i);
                double original = param.getDouble(at);
                param.putScalar(at, original + EPS);
                double plus = score(net, data, seed);
                param.putScalar(at, original - EPS);
                double minus = score(net, data, seed);
                param.putScalar(at, original);
                double numeric = (plus - minus) / (2 * EPS);
                double exact = grad.getDouble(at);
                double absError = Math.abs(exact - numeric);
                double relError = absError == 0 ? 0 : absError / (Math.abs(exact) + Math.abs(numeric));
                boolean failed = relError > MAX_REL_ERROR && absError >= MIN_ABS_ERROR;
                boolean meaningful = Math.abs(exact) + Math.abs(numeric) >= MIN_ABS_ERROR / MAX_REL_ERROR;
                if (!Double.isFinite(numeric) || (failed || meaningful) && relError > worst) {
                    worst = Double.isFinite(numeric) ? relError : Double.POSITIVE_INFINITY;
                    worstAt = String.format(Locale.ROOT, "%s[%d] (analytic %.6g, numerical %.6g)", name, i, exact,
                            numeric);
                }
                checked++;
            }
            c.progress().step(a + 1, arrays.size(), name);
        }
        boolean ok = worst <= MAX_REL_ERROR;
        return CheckResult.of(name(), ok, worst, String.format(Locale.ROOT, "<= %.0e", MAX_REL_ERROR),
                String.format(Locale.ROOT, "largest relative error of %d entries in %d parameter arrays, at %s; %d random"
                                + " %dx%dx%d inputs, double precision, regularisation off (cs231n: < 1e-7 very good,"
                                + " < 1e-4 fine with ReLU kinks, > 1e-2 wrong)", checked, arrays.size(), worstAt, INPUTS,
                        c.experiment().spec().model().channels(), c.experiment().spec().model().height(),
                        c.experiment().spec().model().width()));
    }

    /**
     * Updater SGD at rate 1 on every trainable parameter (DL4J's updater then only divides by the batch size; batch-norm
     * statistics keep their own no-op updater, which is how they are told apart), and no softmax clipping.
     */
    private static ComputationGraphConfiguration forGradientCheck(ComputationGraphConfiguration conf) {
        for (var vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer b) {
                b.setIUpdater(new Sgd(1.0));
                b.setBiasUpdater(null);
                if (b instanceof BaseOutputLayer out && out.getLossFn() instanceof LossMCXENT x) {
                    x.setSoftmaxClipEps(0.0);
                }
            }
        }
        return conf;
    }

    /** The parameter arrays gradients train, with their analytic gradients present. */
    private static List<Map.Entry<String, INDArray>> trainable(ComputationGraph net, Map<String, INDArray> analytic) {
        List<Map.Entry<String, INDArray>> out = new ArrayList<>();
        for (var layer : net.getLayers()) {
            String layerName = layer.conf().getLayer().getLayerName();
            for (var p : layer.paramTable().entrySet()) {
                String key = layerName + "_" + p.getKey();
                boolean trained = !(layer.conf().getLayer().getUpdaterByParam(p.getKey()) instanceof NoOp);
                if (trained && analytic.containsKey(key) && p.getValue().length() > 0) {
                    out.add(Map.entry(key, p.getValue()));
                }
            }
        }
        return out;
    }

    /**
     * Up to {@link #PER_ARRAY} entries (row-major linear indices): half where |gradient| is largest, the rest at
     * random, without repeats.
     */
    private static long[] entries(INDArray grad, RandomGenerator random) {
        int n = (int) grad.length();
        if (n <= PER_ARRAY) {
            return java.util.stream.LongStream.range(0, n).toArray();
        }
        double[] magnitude = grad.dup('c').data().asDouble();
        PriorityQueue<Integer> largest = new PriorityQueue<>(
                (x, y) -> Double.compare(Math.abs(magnitude[x]), Math.abs(magnitude[y])));
        for (int i = 0; i < n; i++) {
            largest.add(i);
            if (largest.size() > PER_ARRAY / 2) {
                largest.poll();
            }
        }
        Set<Long> chosen = new LinkedHashSet<>();
        largest.forEach(i -> chosen.add((long) i));
        while (chosen.size() < PER_ARRAY) {
            chosen.add(random.nextLong(n));
        }
        return chosen.stream().mapToLong(Long::longValue).toArray();
    }

    private static double score(ComputationGraph net, DataSet data, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return net.score(data, true);
    }

    private static DataSet randomData(CheckContext c, RandomGenerator random) {
        var m = c.experiment().spec().model();
        double[] pixels = new double[INPUTS * m.channels() * m.height() * m.width()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextDouble();
        }
        double[] labels = new double[INPUTS * c.classes()];
        for (int i = 0; i < INPUTS; i++) {
            labels[i * c.classes() + random.nextInt(c.classes())] = 1;
        }
        return new DataSet(Nd4j.create(pixels, new long[] {INPUTS, m.channels(), m.height(), m.width()}, 'c'),
                Nd4j.create(labels, new long[] {INPUTS, c.classes()}, 'c'));
    }
}
