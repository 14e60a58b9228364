package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.data.Normalization;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.spec.EarlyStoppingSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Trains one network on one split, publishing metrics as it goes: {@code train_loss},
 * {@code train_accuracy} and {@code lr} every iteration; {@code val_loss}, {@code val_accuracy},
 * {@code examples_per_second} and {@code data_wait_fraction} (the share of the epoch's time spent waiting for the
 * {@link BatchPipeline} that gathers and augments batches ahead on a worker thread) every epoch; {@code test_loss} and {@code test_accuracy} at the end; plus what the
 * spec's {@link TrainingObserver}s record.
 *
 * <p>With {@code train.early_stopping} it keeps the best epoch's network by the validation metric (also as
 * {@code best.zip} in the artifact folder), stops after {@code patience} epochs without improvement (a stop reason, so
 * the run is recorded {@code STOPPED}), and at the end puts the best network back before the test evaluation and the
 * observers' {@link TrainingObserver#trainingDone}: the test metrics, and the saved {@code model.zip}, are the best
 * epoch's, and the run records {@code best_epoch} (1-based, as the progress shows it) and
 * {@code best_val_accuracy} (or {@code best_val_loss}) to say so.
 *
 * <p>An epoch ends in this order: its metrics ({@code examples_per_second}, validation), the observers'
 * {@link TrainingObserver#epochDone}, the best-epoch copy, the stop rules, and last the epoch checkpoint
 * ({@link EpochCheckpoints}: once the store has acknowledged all of it), so that a run killed at any moment and resumed
 * loses no recorded point of an epoch that counts as done.
 * Runs entirely on the calling thread (never an event-loop thread); one instance per run.
 */
public final class Trainer {

    private final Experiment experiment;
    private final MetricSink sink;
    private final TrainingProgress progress;
    private final StopRule stopRule;
    private final Path artifactDir;

    public Trainer(Experiment experiment, MetricSink sink, TrainingProgress progress) {
        this(experiment, sink, progress, StopRule.NEVER, null);
    }

    /**
     * @param stopRule    when to end training early
     * @param artifactDir the run's artifact folder (final network, snapshots), or {@code null} to keep no files
     */
    public Trainer(Experiment experiment, MetricSink sink, TrainingProgress progress, StopRule stopRule,
                   Path artifactDir) {
        this.experiment = experiment;
        this.sink = sink;
        this.progress = progress;
        this.stopRule = stopRule;
        this.artifactDir = artifactDir;
    }

    /** Trains on {@code split.train()}, validates each epoch on {@code split.validation()}, tests at the end. */
    public TrainingResult train(DataSplit split) {
        int itersPerEpoch = itersPerEpoch(split);
        ComputationGraph net = NetworkFactory.build(experiment, itersPerEpoch, split.train().classes(),
                artifactDir == null ? null : artifactDir.getParent());
        return run(split, net, 0, 0);
    }

    /**
     * Continues training {@code net}, an epoch checkpoint of this run read with
     * {@link dev.cnnworkbench.core.artifact.NetworkFiles#readToContinueTraining} (parameters, optimizer state, and the
     * iteration and epoch counts), from its next epoch to the spec's last, exactly as the uninterrupted run would
     * have: each epoch's shuffle, augmentation draws and dropout masks depend only on the seed and the epoch. The
     * metrics continue at the checkpoint's iteration; with early stopping, the best epoch so far is read back from
     * {@code best.zip}, and a run whose early stopping had already decided to stop at the checkpoint stops there. A
     * checkpoint of the last epoch (a run killed while it was being tested) trains nothing and ends the run as the
     * uninterrupted one ended: the best epoch put back, the test evaluation, the observers' end of run.
     *
     * @throws IllegalArgumentException when the checkpoint has more epochs than the spec asks for
     */
    public TrainingResult resume(DataSplit split, ComputationGraph net) {
        int epochs = experiment.spec().train().epochs();
        if (net.getEpochCount() > epochs) {
            throw new IllegalArgumentException("the checkpoint has " + net.getEpochCount() + " epochs, more than the"
                    + " spec's " + epochs);
        }
        return run(split, net, net.getEpochCount(), net.getIterationCount());
    }

    private int itersPerEpoch(DataSplit split) {
        int batch = experiment.spec().train().batch();
        return Math.max(1, (split.train().size() + batch - 1) / batch);
    }

    private TrainingResult run(DataSplit split, ComputationGraph net, int epochsDone, long iterationsDone) {
        int batch = experiment.spec().train().batch();
        int epochs = experiment.spec().train().epochs();
        int itersPerEpoch = itersPerEpoch(split);
        ISchedule schedule = NetworkFactory.schedule(experiment, itersPerEpoch);
        TrainAccuracyListener accuracy = new TrainAccuracyListener(net);
        net.setListeners(accuracy);
        if (artifactDir != null) {
            RunArtifacts.writeNormalization(artifactDir, Normalization.fromProvenance(split.provenance()));
            // indexed like every file of the run: deleted with it, and carried into a team's database with it
            sink.artifact("normalization", "input normalisation (data.mean, data.std)",
                    artifactDir.resolve(RunArtifacts.NORMALIZATION_FILE), "application/json", 0, epochsDone);
        }
        TrainingContext context = new TrainingContext(experiment, split, itersPerEpoch, (long) itersPerEpoch * epochs,
                sink, progress, artifactDir, epochsDone);
        List<TrainingObserver> observers = TrainingObservers.forRun(context);
        EpochCheckpoints checkpoints = EpochCheckpoints.of(context);
        for (TrainingObserver observer : observers) {
            observer.trainingStarted(net);
        }

        EarlyStoppingSpec early = experiment.spec().train().earlyStopping();
        BestModel best = early == null ? null : new BestModel(early, sink, artifactDir);
        if (best != null && epochsDone > 0) {
            best.readBack(split.validation());
        }
        StopRule earlyStopping = best == null ? StopRule.NEVER : new EarlyStopping(early, best);
        Map<String, Double> last = new LinkedHashMap<>();
        long iteration = iterationsDone;
        double trainingSeconds = 0;
        Evaluation lastValidation = null; // of the network as it is now
        // The rules the uninterrupted run applied after the checkpoint's epoch, before committing it.
        String stopReason = epochsDone > 0 ? earlyStopping.afterEpoch(epochsDone - 1, Map.of()) : null;
        ImageBatch[] ring = BatchPipeline.newRing(); // one set of batch buffers for every epoch
        for (int epoch = epochsDone; epoch < epochs && stopReason == null; epoch++) {
            progress.epochStarted(epoch, epochs, itersPerEpoch);
            RandomGenerator random = epochRandom(experiment.spec().train().seed(), epoch);
            int[] order = DataSplit.permutation(split.train().size(), random);
            long epochStart = System.nanoTime();
            int seen = 0;
            BatchPipeline batches = new BatchPipeline(split.train(), order, batch, itersPerEpoch, experiment.augment(),
                    random, ring);
            for (int b = 0; b < itersPerEpoch && stopReason == null; b++) {
                ImageBatch images = batches.next();
                DataSet ds = Batches.toDataSet(images);
                double lr = schedule.valueAt((int) iteration, epoch);
                net.fit(ds);
                double loss = net.score() - net.calcRegularizationScore(true);
                seen += images.size();
                long now = System.currentTimeMillis();
                sink.record(List.of(
                        new MetricPoint("train_loss", iteration, epoch, now, loss),
                        new MetricPoint("train_accuracy", iteration, epoch, now, accuracy.batchAccuracy()),
                        new MetricPoint("lr", iteration, epoch, now, lr)));
                stopReason = stopRule.afterIteration(epoch, iteration, loss);
                iteration++;
                for (TrainingObserver observer : observers) {
                    observer.iterationDone(net, iteration, epoch);
                }
                progress.batchDone(b + 1, loss, seen / seconds(epochStart));
            }
            batches.close();
            net.incrementEpochCount();
            double epochSeconds = seconds(epochStart);
            trainingSeconds += epochSeconds;
            List<MetricPoint> epochPoints = new ArrayList<>();
            long now = System.currentTimeMillis();
            epochPoints.add(new MetricPoint("examples_per_second", iteration - 1, epoch, now, seen / epochSeconds));
            epochPoints.add(new MetricPoint("data_wait_fraction", iteration - 1, epoch, now,
                    batches.waitNanos() / 1e9 / epochSeconds));
            if (split.validation().size() > 0) {
                Evaluation val = Evaluator.evaluate(net, split.validation());
                lastValidation = val;
                epochPoints.add(new MetricPoint("val_loss", iteration - 1, epoch, now, val.loss()));
                epochPoints.add(new MetricPoint("val_accuracy", iteration - 1, epoch, now, val.accuracy()));
            }
            sink.record(epochPoints);
            Map<String, Double> epochMetrics = new LinkedHashMap<>();
            epochPoints.forEach(p -> epochMetrics.put(p.name(), p.value()));
            last.putAll(epochMetrics);
            for (TrainingObserver observer : observers) {
                observer.epochDone(net, epoch, epochMetrics);
            }
            progress.epochEnded(epoch, epochMetrics);
            if (best != null) {
                best.offer(epoch, iteration, epochMetrics, net);
            }
            if (stopReason == null) {
                stopReason = stopRule.afterEpoch(epoch, epochMetrics);
            }
            if (stopReason == null) {
                stopReason = earlyStopping.afterEpoch(epoch, epochMetrics);
            }
            if (checkpoints != null) {
                checkpoints.commit(net, epoch);
            }
        }
        int lastEpoch = net.getEpochCount() - 1;
        List<MetricPoint> finalPoints = best == null ? new ArrayList<>() : best.restore(net, iteration - 1, lastEpoch);
        if (!finalPoints.isEmpty()) {
            lastValidation = null; // the best epoch's weights are back: the last validation described others
        }
        progress.phase((finalPoints.isEmpty() ? "evaluating" : "testing " + best.describe()) + " on the test set ("
                + split.test().size() + " images)");
        Evaluation test = Evaluator.evaluate(net, split.test());
        long now = System.currentTimeMillis();
        finalPoints.add(new MetricPoint("test_loss", iteration - 1, lastEpoch, now, test.loss()));
        finalPoints.add(new MetricPoint("test_accuracy", iteration - 1, lastEpoch, now, test.accuracy()));
        sink.record(finalPoints);
        finalPoints.forEach(p -> last.put(p.name(), p.value()));
        for (TrainingObserver observer : observers) {
            last.putAll(observer.trainingDone(net, iteration, lastEpoch, new FinalEvaluations(test, lastValidation)));
        }
        return new TrainingResult(last, iteration - iterationsDone, trainingSeconds, stopReason);
    }

    /**
     * The random source of epoch {@code epoch} (shuffle, augmentation) of a run seeded {@code seed}; also seeds ND4J's
     * generator of this thread (dropout masks). A function of the two alone, so a resumed run draws what the
     * uninterrupted one would have.
     */
    private static RandomGenerator epochRandom(long seed, int epoch) {
        long mixed = seed + epoch * 0x9E3779B97F4A7C15L; // the first epoch draws from the seed itself
        Nd4j.getRandom().setSeed(mixed);
        return RandomGeneratorFactory.of("L64X128MixRandom").create(mixed);
    }

    private static double seconds(long startNanos) {
        return Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    }
}
