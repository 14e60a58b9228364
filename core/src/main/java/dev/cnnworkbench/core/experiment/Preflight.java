package dev.cnnworkbench.core.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.data.DataCache;
import dev.cnnworkbench.core.data.DataException;
import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.data.Normalization;
import dev.cnnworkbench.core.engine.DataSplit;
import dev.cnnworkbench.core.engine.Transfer;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecError;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecParser;
import dev.cnnworkbench.core.summary.MemoryEstimate;
import dev.cnnworkbench.core.summary.ModelSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;

/**
 * Every check of a spec that can be made without training, so that a run that cannot train is refused before it is
 * recorded, with every problem at once. Two steps:
 * <ol>
 *   <li>{@link #spec}: parse, resolve the plugins, check what the store keeps (names, parameter texts), that the
 *   layers fit together, and that training fits this JVM's memory ({@link MemoryEstimate} against ND4J's off-heap
 *   limit and the heap). Needs nothing but the spec; every problem, of every kind, in one {@link SpecException}.</li>
 *   <li>{@link #beforeRecording}: what needs the data and the home: the data set and its size (classes, the
 *   validation hold-out, the images' shape), the memory again with the data's classes, the network {@code model.init}
 *   starts from (confined to the home for runs posted over the API), and a writable home with room for the run's
 *   checkpoints ({@link HomeCheck}).</li>
 * </ol>
 * Stateless and thread-safe.
 */
public final class Preflight {

    /** The longest flattened parameter name the store keeps ({@code run_params.name VARCHAR(255)}, migration V1). */
    public static final int PARAM_NAME_LIMIT = 255;
    /** The longest parameter text the store keeps ({@code run_params.text_value VARCHAR(4000)}, migration V1). */
    public static final int PARAM_TEXT_LIMIT = 4000;
    /** Classes assumed before the data is read (Fashion-MNIST's, MNIST's). */
    private static final int DEFAULT_CLASSES = 10;
    /** Network files a run may write besides its epoch checkpoints: the final network and the best epoch's. */
    private static final int EXTRA_NETWORK_FILES = 2;
    private static final long SLACK_BYTES = 16L << 20;

    private Preflight() {
    }

    /** Step 1 for the spec file {@code file} with {@code overrides}; see {@link #spec(JsonNode, List, String, SpecResolver)}. */
    public static Experiment file(Path file, List<String> overrides, SpecResolver resolver) {
        return spec(SpecParser.readFile(file), overrides, SpecParser.defaultName(file), resolver);
    }

    /**
     * Step 1: the experiment of spec tree {@code tree}, or a SpecException with every problem found by parsing,
     * resolving, the store's limits, the layers' shapes and the memory estimate, each with its JSON path.
     */
    public static Experiment spec(JsonNode tree, List<String> overrides, String defaultName, SpecResolver resolver) {
        List<SpecError> errors = new ArrayList<>();
        ExperimentSpec spec = new SpecParser().read(tree, overrides, defaultName, errors);
        Experiment experiment = spec == null ? null : resolver.resolve(spec, errors);
        if (experiment != null) {
            check(experiment, errors);
        }
        if (!errors.isEmpty() || experiment == null) {
            throw new SpecException(errors.isEmpty() ? List.of(new SpecError("", "invalid spec")) : errors);
        }
        return experiment;
    }

    /** Step 1's checks of a resolved experiment (a sweep's trial, a recorded spec): problems go to {@code errors}. */
    public static void check(Experiment experiment, List<SpecError> errors) {
        storeLimits(experiment.spec(), errors);
        List<Integer> classes = experiment.spec().data().classes();
        fits(experiment, classes.isEmpty() ? DEFAULT_CLASSES : classes.size(), errors);
    }

    /**
     * Step 2: the checks that read the home and the data. Throws {@link HomeCheck.Unusable} when the home cannot keep
     * the run's files (nor the data's cache); else a SpecException listing every spec problem found (exit 2, 400); else
     * a {@link DataException} when the data cannot be read (exit 3). Returns the data as read and split, through the
     * home's cache ({@code DataSplit.of(spec, cache, HOME/artifacts)} would give the same), for the run to train on.
     *
     * @param home       the workbench home (artifacts, database), or {@code null} for a run that keeps no files
     * @param confinedTo for a run posted over the API: {@code model.init} may only name runs and files under it
     */
    public static DataSplit beforeRecording(Experiment experiment, Path home, Path confinedTo) {
        if (home != null) { // first: the data is read through the home's cache
            HomeCheck.check(RunArtifacts.root(home), checkpointBytes(experiment), "the run's networks and checkpoints");
        }
        List<SpecError> errors = new ArrayList<>();
        ExperimentSpec spec = experiment.spec();
        DataException unreadable = null;
        // first: data.normalize source reads the saved network's folder, which must pass the confinement check
        Normalization inherited = Normalization.NONE;
        if (spec.model().transfer() != null) {
            try {
                Transfer.locate(spec.model().transfer(), home == null ? null : RunArtifacts.root(home), confinedTo);
                Normalization found = Transfer.inherited(spec, home == null ? null : RunArtifacts.root(home));
                inherited = found == null ? Normalization.NONE : found;
            } catch (SpecException e) {
                errors.addAll(e.errors());
            }
        }
        DataSplit split = null;
        try {
            split = DataSplit.of(spec, Datasets.load(spec.data(), home == null ? null
                    : DataCache.inHome(home)), inherited);
            var train = split.train();
            if (train.channels() != spec.model().channels() || train.height() != spec.model().height()
                    || train.width() != spec.model().width()) {
                errors.add(new SpecError("model.input", "the data's images are " + train.channels() + " x "
                        + train.height() + " x " + train.width() + " (channels x height x width), the model takes "
                        + spec.model().channels() + " x " + spec.model().height() + " x " + spec.model().width()));
            }
            fits(experiment, train.classes(), errors);
        } catch (SpecException e) {
            errors.addAll(e.errors());
        } catch (DataException e) {
            SpecError atPath = atPath(e.getMessage());
            if (atPath != null) {
                errors.add(atPath);
            } else {
                unreadable = e;
            }
        }
        if (!errors.isEmpty()) {
            throw new SpecException(errors);
        }
        if (unreadable != null) {
            throw unreadable;
        }
        return split;
    }

    /** What a run's network files take (the kept epoch checkpoints, the final and the best network), plus slack. */
    static long checkpointBytes(Experiment experiment) {
        List<Integer> classes = experiment.spec().data().classes();
        try {
            ModelSummary summary = ModelSummary.of(experiment, classes.isEmpty() ? DEFAULT_CLASSES : classes.size());
            return MemoryEstimate.networkFiles(summary, experiment.spec().train().checkpoints().keep()
                    + EXTRA_NETWORK_FILES, SLACK_BYTES);
        } catch (RuntimeException e) {
            return SLACK_BYTES; // the network's problems are step 1's to report
        }
    }

    /** Layers that fit together, and training that fits this JVM's memory, for {@code classes} classes. */
    private static void fits(Experiment experiment, int classes, List<SpecError> errors) {
        ModelSummary summary;
        try {
            summary = ModelSummary.of(experiment, classes);
        } catch (SpecException e) {
            errors.addAll(e.errors());
            return;
        } catch (RuntimeException e) {
            errors.add(new SpecError("model", "the layers do not fit together: " + e.getMessage()));
            return;
        }
        int batch = experiment.spec().train().batch();
        MemoryEstimate need = MemoryEstimate.of(summary, batch, classes);
        long offHeap = offHeapLimit();
        long heap = Runtime.getRuntime().maxMemory();
        if (need.totalBytes() > offHeap) {
            errors.add(new SpecError(need.parameterBytes() > offHeap / 2 ? "model.layers" : "train.batch",
                    "training this network needs at least " + need.describe() + " of ND4J's off-heap memory, more"
                    + " than this JVM's limit of " + MemoryEstimate.bytes(offHeap) + "; use fewer or smaller layers,"
                    + " a smaller model.input or train.batch (the limit is -Dorg.bytedeco.javacpp.maxbytes)"));
        } else if (need.batchBytes() > heap / 2) {
            errors.add(new SpecError("train.batch", "one mini-batch of " + batch + " takes "
                    + MemoryEstimate.bytes(need.batchBytes()) + ", more than half of this JVM's heap ("
                    + MemoryEstimate.bytes(heap) + "); use a smaller train.batch or model.input"));
        }
    }

    /** The most off-heap memory ND4J may take in this JVM (JavaCPP's {@code maxBytes}, else its physical limit). */
    public static long offHeapLimit() {
        long max = Pointer.maxBytes();
        long physical = Pointer.maxPhysicalBytes();
        if (max > 0) {
            return physical > 0 ? Math.min(max, physical) : max;
        }
        return physical > 0 ? physical : Long.MAX_VALUE;
    }

    /** Every flattened parameter of {@code spec} within what the store keeps. */
    private static void storeLimits(ExperimentSpec spec, List<SpecError> errors) {
        for (Map.Entry<String, Object> p : SpecJson.flatten(spec).entrySet()) {
            if (p.getKey().length() > PARAM_NAME_LIMIT) {
                errors.add(new SpecError(p.getKey().substring(0, 60) + "...", "the store keeps parameter names of at"
                        + " most " + PARAM_NAME_LIMIT + " characters, this one has " + p.getKey().length()));
            } else if (p.getValue() instanceof String text && text.length() > PARAM_TEXT_LIMIT) {
                errors.add(new SpecError(p.getKey(), "must be at most " + PARAM_TEXT_LIMIT + " characters (the store"
                        + " keeps no more), got " + text.length()));
            }
        }
    }

    /** A data error that names a spec field ({@code "data.dataset: unknown data set ..."}) as a SpecError. */
    private static SpecError atPath(String message) {
        if (message == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(data(?:\\.[a-z_]+)+): (.*)$",
                java.util.regex.Pattern.DOTALL).matcher(message);
        return m.matches() ? new SpecError(m.group(1), m.group(2)) : null;
    }
}
