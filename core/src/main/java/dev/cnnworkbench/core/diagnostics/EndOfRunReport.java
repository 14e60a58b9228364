package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.Evaluation;
import dev.cnnworkbench.core.engine.Evaluator;
import dev.cnnworkbench.core.engine.FinalEvaluations;
import dev.cnnworkbench.core.engine.MetricSink;
import dev.cnnworkbench.core.engine.TrainingContext;
import dev.cnnworkbench.core.engine.TrainingObserver;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * After training, writes what the final network gets right and wrong, into the run's artifact folder:
 * <ul>
 * <li>{@code confusion-validation.json} and {@code confusion-test.json} (kind {@code confusion}, see
 * {@link ConfusionMatrix#toJson}) with their pictures {@code confusion-validation.png}, {@code confusion-test.png}
 * (kind {@code image});</li>
 * <li>{@code misclassified-test.png} (kind {@code image}): the first {@link Misclassified#COUNT} misclassified test
 * images with true and predicted class;</li>
 * <li>{@code first-layer-filters.png} (kind {@code image}): the first layer's filters.</li>
 * </ul>
 * Classes are shown by the names the data gives them ({@link dev.cnnworkbench.core.engine.DataSplit#classNames}). Costs one inference pass over the validation and test sets.
 * A file that cannot be produced is reported as a {@code diagnostics_failed} warning; the run goes on.
 * Training thread only.
 */
final class EndOfRunReport implements TrainingObserver {

    private final TrainingContext context;
    private final Warnings warnings;

    EndOfRunReport(TrainingContext context, Warnings warnings) {
        this.context = context;
        this.warnings = warnings;
    }

    @Override
    public Map<String, Double> trainingDone(ComputationGraph net, long iterationsDone, int lastEpoch,
                                            FinalEvaluations evaluations) {
        Path dir = context.artifactDir();
        long step = iterationsDone - 1;
        ImageSet test = context.split().test();
        List<String> names = context.split().classNames();
        ImageSet validation = context.split().validation();
        if (validation.size() > 0) {
            guarded("the validation confusion matrix", step, () -> confusion(net, evaluations.validation(),
                    "validation", validation, names, dir, step, lastEpoch));
        }
        if (test.size() > 0) {
            guarded("the test confusion matrix and misclassified images", step, () -> {
                int[] predictions = confusion(net, evaluations.test(), "test", test, names, dir, step, lastEpoch);
                BufferedImage wrong = Misclassified.render("test", test, predictions, names);
                if (wrong != null) {
                    png(dir.resolve("misclassified-test.png"), wrong, "image", "misclassified test images", step,
                            lastEpoch);
                }
            });
        }
        guarded("the first-layer filters", step, () -> {
            BufferedImage filters = FirstLayerFilters.render(WatchedLayer.of(net), test.channels(), test.height(),
                    test.width());
            if (filters != null) {
                png(dir.resolve("first-layer-filters.png"), filters, "image", "first-layer filters", step, lastEpoch);
            }
        });
        return Map.of();
    }

    /**
     * Writes the set's confusion matrix as JSON and PNG, from {@code made} (the trainer's evaluation of {@code net} on
     * {@code set}) or, when null, an evaluation of its own; returns the predictions.
     */
    private int[] confusion(ComputationGraph net, Evaluation made, String setName, ImageSet set, List<String> names,
                            Path dir, long step, int epoch) {
        Evaluation eval = made != null ? made : Evaluator.evaluate(net, set);
        ConfusionMatrix m = ConfusionMatrix.of(setName, names, set.labels(), eval.predictions());
        Path json = dir.resolve("confusion-" + setName + ".json");
        ArtifactFiles.writeJson(json, m.toJson());
        sink().artifact("confusion", "confusion matrix, " + setName + " set", json, ArtifactFiles.JSON, step, epoch);
        png(dir.resolve("confusion-" + setName + ".png"), ConfusionPlot.render(m), "image",
                "confusion matrix, " + setName + " set", step, epoch);
        return eval.predictions();
    }

    private void png(Path file, BufferedImage image, String kind, String name, long step, int epoch) {
        ArtifactFiles.writePng(file, image);
        sink().artifact(kind, name, file, ArtifactFiles.PNG, step, epoch);
    }

    private MetricSink sink() {
        return context.sink();
    }

    private void guarded(String what, long step, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            warnings.warn(Warnings.DIAGNOSTICS_FAILED, what, step, "could not write " + what + ": "
                    + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()));
        }
    }
}
