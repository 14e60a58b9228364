package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.artifact.NetworkFiles;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.data.Normalization;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.TransferSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Transfer learning ({@code model.init} as an object, {@link TransferSpec}): a freshly built network takes the
 * weights of every layer but its outputs from a saved network, then its first layers are frozen with DL4J's
 * {@link TransferLearning.GraphBuilder#setFeatureExtractor} (which wraps them in {@code FrozenLayer}s: no updates, and
 * always in inference mode, so frozen batch-norm layers keep their statistics). The output layers keep their fresh
 * weights: the notes' "replace the prediction layer, re-initialise it only". The lower learning rate is the
 * optimizer's, scaled by {@link NetworkFactory#schedule}. Stateless.
 */
public final class Transfer {

    private static final String PATH = "model.init.from";

    private Transfer() {
    }

    /**
     * The saved network {@code spec} names: {@code run:ID} is {@code ID}'s {@code model.zip} under
     * {@code artifactsRoot} ({@code HOME/artifacts}), {@code file:PATH} is that file.
     *
     * @throws SpecException at {@code model.init.from} when there is no such file
     */
    static Path locate(TransferSpec spec, Path artifactsRoot) {
        return locate(spec, artifactsRoot, null);
    }

    /**
     * As {@link #locate(TransferSpec, Path)}, for a run started by someone who may not read this machine's files (a run
     * posted over REST): with {@code confinedTo} not null, {@code file:PATH} must lie under {@code confinedTo} (the home),
     * symbolic links resolved. A path outside is refused with the same words whether it exists or not, and before
     * anything looks at it, so the refusal tells nothing about the file system.
     *
     * @throws SpecException at {@code model.init.from}
     */
    public static Path locate(TransferSpec spec, Path artifactsRoot, Path confinedTo) {
        if (confinedTo != null && TransferSpec.file(spec.from()) != null) {
            confine(Path.of(TransferSpec.file(spec.from())), confinedTo);
        }
        String runId = TransferSpec.runId(spec.from());
        Path file;
        if (runId != null) {
            if (artifactsRoot == null) {
                throw new SpecException(PATH, "run:" + runId + " needs a workbench home (a tracked run); use file:PATH");
            }
            file = RunArtifacts.model(artifactsRoot.resolve(runId));
            if (!Files.isRegularFile(file)) {
                throw new SpecException(PATH, "run " + runId + " has no saved network (" + file + " is missing)");
            }
        } else {
            file = Path.of(TransferSpec.file(spec.from()));
            if (!Files.isRegularFile(file)) {
                throw new SpecException(PATH, "no such file: " + file.toAbsolutePath());
            }
        }
        return file;
    }

    /**
     * The normalisation a run of {@code spec} inherits ({@code data.normalize: source}): the one the saved network
     * {@code model.init} names was trained with ({@link RunArtifacts#normalizationOf}), {@link Normalization#NONE} when
     * it was trained without, or when its file lies outside a run's folder and so carries no record (a warning says
     * so); {@code null} when {@code spec} does not ask to inherit.
     *
     * @param artifactsRoot {@code HOME/artifacts} (for {@code run:ID}), or {@code null} when there is no home
     * @throws SpecException at {@code model.init.from} when the saved network cannot be found, at
     *                       {@code data.normalize} when its record cannot be read
     */
    public static Normalization inherited(ExperimentSpec spec, Path artifactsRoot) {
        if (!spec.data().normalize().equals("source") || spec.model().transfer() == null) {
            return null;
        }
        Path file = locate(spec.model().transfer(), artifactsRoot);
        try {
            Normalization n = RunArtifacts.normalizationOf(file);
            if (n == null) {
                System.err.println("warning: " + file + " has no normalisation record next to it ("
                        + RunArtifacts.NORMALIZATION_FILE + "), so the run feeds it unnormalised images; set"
                        + " data.normalize if its network was trained otherwise");
                return Normalization.NONE;
            }
            return n;
        } catch (IllegalArgumentException e) {
            throw new SpecException("data.normalize", e.getMessage());
        }
    }

    private static void confine(Path file, Path home) {
        SpecException outside = new SpecException(PATH, "a run started over the API may start only from a run"
                + " (run:RUN_ID) or from a file under the workbench home (file:" + home.toAbsolutePath().normalize()
                + "/...)");
        Path root = home.toAbsolutePath().normalize();
        Path wanted = file.toAbsolutePath().normalize();
        if (!wanted.startsWith(root)) {
            throw outside;
        }
        try {
            if (Files.exists(wanted) && !wanted.toRealPath().startsWith(root.toRealPath())) {
                throw outside; // a link under the home that leads out of it
            }
        } catch (java.io.IOException e) {
            throw outside;
        }
    }

    /**
     * {@code fresh} with the weights of {@code source} in every layer but the network's outputs, and its layers up to
     * and including vertex {@code frozenHead} (with all that feeds it) frozen; no freezing when {@code frozenHead} is
     * {@code null}. Returns a new network when it freezes, else {@code fresh} itself.
     *
     * @throws SpecException at {@code model.init.from} when a layer is missing from {@code source} or has other shapes
     */
    static ComputationGraph startFrom(ComputationGraph fresh, ComputationGraph source, String frozenHead) {
        List<String> outputs = fresh.getConfiguration().getNetworkOutputs();
        for (Layer layer : fresh.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (outputs.contains(name) || layer.numParams() == 0) {
                continue;
            }
            if (source.getVertex(name) == null || !source.getVertex(name).hasLayer()) {
                throw new SpecException(PATH, "the saved network has no layer " + name + "; model.layers must match"
                        + " the saved network's layers (all but the output layer)");
            }
            Map<String, INDArray> from = source.getLayer(name).paramTable();
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                INDArray saved = from.get(p.getKey());
                if (saved == null || !Arrays.equals(saved.shape(), p.getValue().shape())) {
                    throw new SpecException(PATH, "layer " + name + " parameter " + p.getKey() + " has shape "
                            + Arrays.toString(p.getValue().shape()) + " here but "
                            + (saved == null ? "is missing" : Arrays.toString(saved.shape()))
                            + " in the saved network; model.layers must match it (all but the output layer)");
                }
                p.getValue().assign(saved);
            }
        }
        if (frozenHead == null) {
            return fresh;
        }
        return new TransferLearning.GraphBuilder(fresh).setFeatureExtractor(frozenHead).build();
    }
}
