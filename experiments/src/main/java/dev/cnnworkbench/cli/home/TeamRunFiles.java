package dev.cnnworkbench.cli.home;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.storage.ArtifactContent;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.DatabaseUrls;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.StoredArtifact;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Brings the network files of a run trained on another member's machine into this home, before {@code ensemble},
 * {@code resume} or transfer learning ({@code model.init.from: run:ID}) load them from
 * {@code HOME/artifacts/RUN_ID/...}: each indexed file that is not here yet (or not the indexed one) is copied from the
 * team database at the same relative path, verified ({@link ArtifactContent#materialise}). With an embedded database
 * it does nothing: the files are this machine's. A file that is nowhere here is left to the command's own
 * "no saved network" error, after a warning that says where it is.
 */
public final class TeamRunFiles {

    /** Which files of a run a command loads. */
    public enum Wanted {
        /** The final network. */
        MODEL(RunArtifacts.MODEL_FILE::equals, false),
        /** The snapshot-ensemble members. */
        SNAPSHOTS(RunArtifacts::isSnapshot, false),
        /** The newest epoch checkpoint (older ones may be gone: only the newest few are kept). */
        NEWEST_CHECKPOINT(RunArtifacts::isCheckpoint, true);

        private final Predicate<String> name;
        private final boolean newestOnly;

        Wanted(Predicate<String> name, boolean newestOnly) {
            this.name = name;
            this.newestOnly = newestOnly;
        }
    }

    private TeamRunFiles() {
    }

    /** Copies the files {@code which} of run {@code runId}, as the class comment says. */
    public static void fetch(HomeOptions home, Database db, String runId, Wanted which) {
        if (!db.isServer()) {
            return;
        }
        ArtifactContent content = new ArtifactContent(RunArtifacts.root(home.home()), db);
        List<StoredArtifact> files = new RunQueries(db).artifacts(runId).stream()
                .filter(a -> a.path().startsWith(runId + "/") && which.name.test(a.path().substring(runId.length() + 1)))
                .sorted(Comparator.comparing(StoredArtifact::path)).toList();
        for (StoredArtifact artifact : which.newestOnly && !files.isEmpty() ? files.subList(files.size() - 1, files.size())
                : files) {
            try {
                content.materialise(artifact);
            } catch (NoSuchFileException e) {
                System.err.println("warning: " + e.getReason());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot copy " + artifact.path() + " of run " + runId
                        + " from the team database into " + RunArtifacts.root(home.home()) + ": " + e.getMessage(), e);
            }
        }
    }

    /** As {@link #fetch(HomeOptions, Database, String, Wanted)}, with the database {@code store} opened, if any. */
    public static void fetch(HomeOptions home, HomeStore store, String runId, Wanted which) {
        if (store.database().isPresent()) {
            fetch(home, store.database().get(), runId, which);
        } else {
            fetch(home, runId, which);
        }
    }

    /** As {@link #fetch(HomeOptions, Database, String, Wanted)}, opening the database only when it is a team's. */
    public static void fetch(HomeOptions home, String runId, Wanted which) {
        if (home.databaseUrl() == null
                || DatabaseUrls.parse(home.databaseUrl()).kind() == DatabaseUrls.Kind.FILE) {
            return;
        }
        try (Database db = LocalStack.openDatabase(home)) {
            fetch(home, db, runId, which);
        }
    }
}
