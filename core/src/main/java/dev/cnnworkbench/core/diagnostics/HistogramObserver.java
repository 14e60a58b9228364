package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.MetricSink;
import dev.cnnworkbench.core.engine.TrainingObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * At each epoch end, writes the histograms of every watched layer's weights and activations as one JSON artifact
 * (kind {@code histogram}), {@code histograms-epoch-EEE.json} with the 0-based epoch:
 * <pre>{@code
 * {"epoch": 0, "step": 842, "bins": 30, "probe_images": 64,
 *  "histograms": [{"layer": "conv1", "tensor": "weights", "edges": [31 numbers], "counts": [30 numbers],
 *                  "non_finite": 0, "mean": 0.001, "std": 0.06}, ...]}
 * }</pre>
 * Weights are the layer's {@code W} as it stands; activations are the layer outputs for a fixed probe batch (the
 * first {@link #PROBE_IMAGES} validation images, or training images when there is no validation set) in inference
 * mode. Costs one forward pass of the probe batch and one copy of each weight tensor per epoch. Training thread only.
 */
final class HistogramObserver implements TrainingObserver {

    static final int PROBE_IMAGES = 64;

    private final MetricSink sink;
    private final Path dir;
    private final INDArray probe;
    private List<WatchedLayer> layers;
    private long iterationsDone;

    /** @param dir the run's artifact folder */
    HistogramObserver(MetricSink sink, Path dir, ImageSet validation, ImageSet train) {
        this.sink = sink;
        this.dir = dir;
        this.probe = probe(validation.size() > 0 ? validation : train);
    }

    static Path file(Path dir, int epoch) {
        return dir.resolve(String.format(Locale.ROOT, "histograms-epoch-%03d.json", epoch));
    }

    @Override
    public void trainingStarted(ComputationGraph net) {
        layers = WatchedLayer.of(net);
    }

    @Override
    public void iterationDone(ComputationGraph net, long iterationsDone, int epoch) {
        this.iterationsDone = iterationsDone;
    }

    @Override
    public void epochDone(ComputationGraph net, int epoch, Map<String, Double> epochMetrics) {
        long step = iterationsDone - 1;
        Path file = file(dir, epoch);
        ArtifactFiles.writeJson(file, report(net, epoch, step));
        sink.artifact("histogram", String.format(Locale.ROOT, "weight and activation histograms, epoch %d", epoch),
                file, ArtifactFiles.JSON, step, epoch);
    }

    Map<String, Object> report(ComputationGraph net, int epoch, long step) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (WatchedLayer layer : layers) {
            if (layer.hasWeights()) {
                all.add(entry(layer.name(), "weights", Histogram.of(floats(layer.weights()), Histogram.BINS)));
            }
        }
        if (probe != null) {
            Map<String, INDArray> acts = net.feedForward(probe, false);
            for (WatchedLayer layer : layers) {
                INDArray a = acts.get(layer.name());
                if (a != null) {
                    all.add(entry(layer.name(), "activations", Histogram.of(floats(a), Histogram.BINS)));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epoch", epoch);
        out.put("step", step);
        out.put("bins", Histogram.BINS);
        out.put("probe_images", probe == null ? 0 : probe.size(0));
        out.put("histograms", all);
        return out;
    }

    private static Map<String, Object> entry(String layer, String tensor, Histogram h) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("layer", layer);
        e.put("tensor", tensor);
        e.put("edges", h.edges());
        e.put("counts", h.counts());
        e.put("non_finite", h.nonFinite());
        e.put("mean", finiteOrNull(h.mean()));
        e.put("std", finiteOrNull(h.std()));
        return e;
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** The values of {@code a} (any order: a histogram does not care), copied once. */
    static float[] floats(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    private static INDArray probe(ImageSet set) {
        int n = Math.min(PROBE_IMAGES, set.size());
        if (n == 0) {
            return null;
        }
        float[] px = set.pixels(0, n);
        return Nd4j.create(px, new long[] {n, set.channels(), set.height(), set.width()}, 'c');
    }
}
