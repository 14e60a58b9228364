package dev.cnnworkbench.core.artifact;

import dev.cnnworkbench.core.data.Normalization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Where a run's networks live on disk: {@code HOME/artifacts/RUN_ID/model.zip} (the final network: the best epoch's
 * when the run kept the best), {@code snapshot-01.zip}, {@code snapshot-02.zip}, ... (snapshot-ensemble members, in
 * the order taken), {@code checkpoint-epoch-001.zip}, ... (the network after that many epochs; only the newest few
 * are kept, each with the optimizer's state) and {@code best.zip} (the best epoch's network so far), each a DL4J model
 * file read back with {@link NetworkFiles} (never with DL4J's own loader); and {@code normalization.json}, the
 * normalisation all of them take their inputs through ({@link #writeNormalization}). With a team's shared database, a run trained
 * on another member's machine has its files in that database; the command line copies the ones it loads into this
 * home, at these same paths, before reading them (experiments' {@code TeamRunFiles}). Stateless.
 */
public final class RunArtifacts {

    /** The media type of a saved network (a DL4J model zip). */
    public static final String MODEL_MEDIA_TYPE = "application/zip";
    /** The file name of a run's final network. */
    public static final String MODEL_FILE = "model.zip";
    private static final String CHECKPOINT_PREFIX = "checkpoint-epoch-";
    private static final String SNAPSHOT_PREFIX = "snapshot-";
    /** The file in a run's folder that records its normalisation ({@link #writeNormalization}). */
    public static final String NORMALIZATION_FILE = "normalization.json";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private RunArtifacts() {
    }

    /** The folder of every run's artifacts under data folder {@code home}. */
    public static Path root(Path home) {
        return home.resolve("artifacts");
    }

    /** The artifact folder of run {@code runId} under data folder {@code home}. */
    public static Path dir(Path home, String runId) {
        if (!runId.matches("[A-Za-z0-9_\\-]+")) {
            throw new IllegalArgumentException("not a run id: " + runId);
        }
        return root(home).resolve(runId);
    }

    public static Path model(Path runDir) {
        return runDir.resolve(MODEL_FILE);
    }

    /** Whether {@code fileName} is the name of an epoch checkpoint ({@link #checkpoint}). */
    public static boolean isCheckpoint(String fileName) {
        return isNumbered(fileName, CHECKPOINT_PREFIX);
    }

    /** Whether {@code fileName} is the name of a snapshot ({@link #snapshot}). */
    public static boolean isSnapshot(String fileName) {
        return isNumbered(fileName, SNAPSHOT_PREFIX);
    }

    private static boolean isNumbered(String fileName, String prefix) {
        return fileName.matches(java.util.regex.Pattern.quote(prefix) + "\\d{1,9}\\.zip");
    }

    /** The network after {@code epochsDone} epochs (1-based, as the progress shows them). */
    public static Path checkpoint(Path runDir, int epochsDone) {
        return runDir.resolve(String.format(Locale.ROOT, "checkpoint-epoch-%03d.zip", epochsDone));
    }

    /** The network of the best epoch so far, by the run's early-stopping metric. */
    public static Path best(Path runDir) {
        return runDir.resolve("best.zip");
    }

    /** The epoch checkpoints saved in {@code runDir}, oldest first; empty when there are none. */
    public static List<Path> checkpoints(Path runDir) {
        return numbered(runDir, CHECKPOINT_PREFIX);
    }

    /** Snapshot {@code index} (1-based). */
    public static Path snapshot(Path runDir, int index) {
        return runDir.resolve(String.format(Locale.ROOT, "snapshot-%02d.zip", index));
    }

    /**
     * Writes {@code net} (configuration and parameters, no updater state) to {@code file} atomically: readers see the
     * old file or the whole new one, never a part. Creates the folder. Safe from any thread that owns {@code net}.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public static void writeNetwork(ComputationGraph net, Path file) {
        write(net, file, false);
    }

    /**
     * As {@link #writeNetwork}, with the optimizer's state as well (momentum, Adam's moments: {@code updaterState.bin},
     * an ND4J array), so that training can continue from the file exactly where it was
     * ({@link NetworkFiles#readToContinueTraining}). Epoch checkpoints are written this way.
     */
    public static void writeCheckpoint(ComputationGraph net, Path file) {
        write(net, file, true);
    }

    private static void write(ComputationGraph net, Path file, boolean withUpdater) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.createDirectories(file.getParent());
            ModelSerializer.writeModel(net, partial.toFile(), withUpdater);
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the write already failed; that is the error worth reporting
            }
            throw new UncheckedIOException("cannot write the network to " + file + ": "
                    + dev.cnnworkbench.core.env.IoReasons.of(e), e);
        }
    }

    /**
     * Records, in {@code runDir/normalization.json}, the normalisation every network of the run sees its inputs
     * through ({@code data.mean}/{@code data.std} as in the run's provenance; an empty object for none), so that a
     * run started from one of its networks ({@code data.normalize: source}) and an ensemble of them feed the
     * networks as they were trained. Written atomically.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public static void writeNormalization(Path runDir, Normalization normalization) {
        Path file = runDir.resolve(NORMALIZATION_FILE);
        Path partial = file.resolveSibling(NORMALIZATION_FILE + ".partial");
        try {
            Files.createDirectories(runDir);
            Files.writeString(partial, JSON.writeValueAsString(new java.util.TreeMap<>(normalization.provenance())));
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + dev.cnnworkbench.core.env.IoReasons.of(e), e);
        }
    }

    /**
     * The normalisation the network in {@code networkFile} was trained with: what its run recorded next to it
     * ({@link #writeNormalization}); {@code null} when its folder has no such record (a network file copied out of
     * its run, or saved by a workbench before runs recorded it).
     *
     * @throws IllegalArgumentException naming the record when it cannot be read
     */
    public static Normalization normalizationOf(Path networkFile) {
        Path file = networkFile.toAbsolutePath().resolveSibling(NORMALIZATION_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            java.util.Map<String, String> entries = JSON.readValue(file.toFile(),
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>>() { });
            return Normalization.fromProvenance(entries);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the normalisation record " + file + ": " + e.getMessage(),
                    e);
        }
    }

    /** The snapshots saved in {@code runDir}, in the order they were taken; empty when there are none. */
    public static List<Path> snapshots(Path runDir) {
        return numbered(runDir, SNAPSHOT_PREFIX);
    }

    /** The files {@code PREFIX<number>.zip} in {@code runDir}, by number. */
    private static List<Path> numbered(Path runDir, String prefix) {
        if (!Files.isDirectory(runDir)) {
            return List.of();
        }
        java.util.function.ToIntFunction<Path> number = p -> {
            String name = p.getFileName().toString();
            return Integer.parseInt(name.substring(prefix.length(), name.length() - ".zip".length()));
        };
        try (Stream<Path> files = Files.list(runDir)) {
            return files.filter(p -> isNumbered(p.getFileName().toString(), prefix))
                    .sorted(java.util.Comparator.comparingInt(number)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runDir, e);
        }
    }
}
