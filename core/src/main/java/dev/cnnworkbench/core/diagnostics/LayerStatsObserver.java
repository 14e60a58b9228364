package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.engine.MetricSink;
import dev.cnnworkbench.core.engine.TrainingObserver;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Records per-layer statistics every {@code diagnostics.every} iterations (the first iteration included), with the
 * iteration as step: {@code update_ratio/L}, {@code grad_norm/L}, {@code weight_norm/L} for layers with weights;
 * {@code act_mean/L}, {@code act_std/L}, {@code act_zero_frac/L} for every watched layer; {@code act_dead_frac/L} for
 * ReLU layers and {@code act_saturated_frac/L} for tanh and sigmoid layers. Hands each sample to a
 * {@link HealthMonitor}. Training thread only.
 */
final class LayerStatsObserver implements TrainingObserver {

    private final int every;
    private final MetricSink sink;
    private final HealthMonitor health;
    private LayerStatsListener listener;

    LayerStatsObserver(int every, MetricSink sink, HealthMonitor health) {
        this.every = every;
        this.sink = sink;
        this.health = health;
    }

    @Override
    public void trainingStarted(ComputationGraph net) {
        listener = new LayerStatsListener(WatchedLayer.of(net), every);
        net.addListeners(listener);
    }

    @Override
    public void iterationDone(ComputationGraph net, long iterationsDone, int epoch) {
        List<LayerSample> samples = listener.take();
        if (samples == null) {
            return;
        }
        long step = iterationsDone - 1;
        sink.record(points(samples, step, epoch, System.currentTimeMillis()));
        health.check(step, epoch, samples);
    }

    static List<MetricPoint> points(List<LayerSample> samples, long step, int epoch, long now) {
        List<MetricPoint> out = new ArrayList<>();
        for (LayerSample s : samples) {
            String l = "/" + s.name();
            if (s.layer().hasWeights()) {
                out.add(new MetricPoint("update_ratio" + l, step, epoch, now, s.updateRatio()));
                out.add(new MetricPoint("grad_norm" + l, step, epoch, now, s.gradNorm()));
                out.add(new MetricPoint("weight_norm" + l, step, epoch, now, s.weightNorm()));
            }
            if (!Double.isNaN(s.actMean()) || !Double.isNaN(s.actStd())) {
                out.add(new MetricPoint("act_mean" + l, step, epoch, now, s.actMean()));
                out.add(new MetricPoint("act_std" + l, step, epoch, now, s.actStd()));
                out.add(new MetricPoint("act_zero_frac" + l, step, epoch, now, s.actZeroFrac()));
            }
            if (s.layer().activation() == ActivationKind.RELU && !s.layer().output()) {
                out.add(new MetricPoint("act_dead_frac" + l, step, epoch, now, s.deadFrac()));
            }
            if (s.layer().activation().saturates() && !s.layer().output()) {
                out.add(new MetricPoint("act_saturated_frac" + l, step, epoch, now, s.saturatedFrac()));
            }
        }
        return out;
    }
}
