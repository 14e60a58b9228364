package dev.cnnworkbench.core.ensemble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where a run's networks live on disk: {@code HOME/artifacts/RUN_ID/model.zip} (the final network) and
 * {@code snapshot-01.zip}, {@code snapshot-02.zip}, ... (snapshot-ensemble members, in the order taken), each a DL4J
 * model file without updater state. Stateless.
 */
public final class RunArtifacts {

    private RunArtifacts() {
    }

    /** The artifact folder of run {@code runId} under data folder {@code home}. */
    public static Path dir(Path home, String runId) {
        if (!runId.matches("[A-Za-z0-9_\\-]+")) {
            throw new IllegalArgumentException("not a run id: " + runId);
        }
        return home.resolve("artifacts").resolve(runId);
    }

    public static Path model(Path runDir) {
        return runDir.resolve("model.zip");
    }

    /** Snapshot {@code index} (1-based). */
    public static Path snapshot(Path runDir, int index) {
        return runDir.resolve(String.format(Locale.ROOT, "snapshot-%02d.zip", index));
    }

    private static int snapshotIndex(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring("snapshot-".length(), name.length() - ".zip".length()));
    }

    /** The snapshots saved in {@code runDir}, in the order they were taken; empty when there are none. */
    public static List<Path> snapshots(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(runDir)) {
            return files.filter(p -> p.getFileName().toString().matches("snapshot-\\d+\\.zip"))
                    .sorted(java.util.Comparator.comparingInt(RunArtifacts::snapshotIndex)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runDir, e);
        }
    }
}
