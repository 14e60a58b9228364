package dev.cnnworkbench.core.sanity;

import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.Batches;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The notes' learning-rate search by hand ("start with small regularization and find the learning rate that makes the
 * loss go down"), automated: for each rate of the decades 1e-6 .. 1, the spec's network from scratch trains
 * {@value #ITERATIONS} mini-batches (the spec's optimizer, batch size and regularisation; constant rate; no
 * augmentation), and its loss on held-out images is compared before and after. A rate <em>barely moves</em> the loss
 * when it falls by less than {@value #BARELY_MOVES} of its start ("loss not going down: learning rate too low"); it
 * <em>explodes</em> when a loss becomes infinite or NaN, ends above its start, or a training mini-batch's loss spikes
 * above {@value #SPIKE} times the start (training stops there) ("loss exploding: learning rate too high"; "cost: NaN almost always means high
 * learning rate"); otherwise the loss falls. The suggested range runs from the smallest to the largest rate at which
 * it falls. The check passes when the spec's learning rate lies in that range.
 */
final class LearningRateProbe implements SanityCheck {

    static final int ITERATIONS = 50;
    static final double BARELY_MOVES = 0.02;
    static final double SPIKE = 3;
    static final int EXAMPLES = 512;

    /** What one rate did. */
    enum Outcome {
        BARELY_MOVES("barely moves"), FALLS("falls"), EXPLODES("explodes");

        final String words;

        Outcome(String words) {
            this.words = words;
        }
    }

    /**
     * One probed rate: the held-out loss before and after ({@code NaN} when training was cut short), the largest
     * training mini-batch loss, and the mini-batches trained (fewer than {@value #ITERATIONS} once it exploded).
     */
    record Probe(double rate, double before, double after, double worstBatch, int iterations, Outcome outcome) {

        String describe() {
            return Double.isNaN(after)
                    ? String.format(Locale.ROOT, "lr %.0e: loss %.3f -> %.3f at mini-batch %d, %s", rate, before,
                            worstBatch, iterations, outcome.words)
                    : String.format(Locale.ROOT, "lr %.0e: loss %.3f -> %.3f (worst mini-batch %.3f), %s", rate, before,
                            after, worstBatch, outcome.words);
        }
    }

    @Override
    public String name() {
        return "learning_rate_probe";
    }

    @Override
    public String description() {
        return "short runs at 1e-6 .. 1: where the loss barely moves, falls, explodes";
    }

    @Override
    public CheckResult run(CheckContext c) {
        List<Probe> probes = new ArrayList<>();
        for (int decade = -6; decade <= 0; decade++) {
            double rate = Math.pow(10, decade);
            probes.add(probe(c, rate));
            c.progress().step(probes.size(), 7, String.format(Locale.ROOT, "lr %.0e %s", rate,
                    probes.get(probes.size() - 1).outcome().words));
        }
        List<Probe> falling = probes.stream().filter(p -> p.outcome() == Outcome.FALLS).toList();
        double specRate = c.experiment().baseLearningRate();
        StringBuilder table = new StringBuilder();
        for (Probe p : probes) {
            table.append('\n').append(p.describe());
        }
        if (falling.isEmpty()) {
            return CheckResult.of(name(), false, specRate, "a rate at which the loss falls",
                    "the loss falls at no rate from 1e-6 to 1: the network does not learn" + table);
        }
        double low = falling.get(0).rate();
        double high = falling.get(falling.size() - 1).rate();
        Probe best = falling.stream().min(java.util.Comparator.comparingDouble(Probe::after)).orElseThrow();
        boolean ok = specRate >= low / 1.0001 && specRate <= high * 1.0001;
        return CheckResult.of(name(), ok, specRate,
                String.format(Locale.ROOT, "in [%.0e, %.0e] (suggested; lowest loss at %.0e)", low, high, best.rate()),
                String.format(Locale.ROOT, "the spec's learning rate %.3g %s; %d mini-batches of %d per rate on %d"
                                + " images, loss on %d held-out images", specRate,
                        ok ? "lies in the range where the loss falls" : "lies outside the range where the loss falls",
                        ITERATIONS, c.experiment().spec().train().batch(), c.train().size(),
                        Math.min(EXAMPLES, c.reference().size())) + table);
    }

    private static Probe probe(CheckContext c, double rate) {
        int batch = c.experiment().spec().train().batch();
        ImageSet held = CheckNetworks.first(c.reference(), EXAMPLES);
        ComputationGraph net = CheckNetworks.init(CheckNetworks.configure(c.experiment(), c.classes(), rate,
                DataType.FLOAT));
        double before = CheckNetworks.meanScore(net, held, batch);
        double worst = 0;
        ImageSet train = c.train();
        int trained = 0;
        boolean exploded = false;
        for (int from = 0; trained < ITERATIONS && !exploded; trained++) {
            if (from + batch > train.size()) {
                from = 0;
            }
            int to = Math.min(train.size(), from + batch);
            net.fit(Batches.toDataSet(Batches.gather(train, null, from, to)));
            double loss = net.score();
            worst = Double.isNaN(loss) ? Double.POSITIVE_INFINITY : Math.max(worst, loss);
            exploded = !Double.isFinite(worst) || worst > SPIKE * before;
            from = to;
        }
        double after = exploded ? Double.NaN : CheckNetworks.meanScore(net, held, batch);
        Outcome outcome = exploded || !Double.isFinite(after) || after > before ? Outcome.EXPLODES
                : before - after < BARELY_MOVES * before ? Outcome.BARELY_MOVES : Outcome.FALLS;
        return new Probe(rate, before, after, worst, trained, outcome);
    }
}
