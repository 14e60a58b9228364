package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.spec.DataSpec;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training split's normalisation follows a run's networks: a run started from a normalised run's network
 * ({@code model.init}) inherits its per-channel mean and std, and an ensemble feeds each member its own run's
 * normalisation, so a member scores in the ensemble what its run scored on the same test images. Tiny networks, one
 * epoch on 300 Fashion-MNIST images, tracked through {@code workbench run} into a temporary home.
 */
class NormalizedEnsembleIT {

    @TempDir
    Path home;

    @TempDir
    Path files;

    private Path spec(String name, int seed, String normalize, String init) throws IOException {
        String json = """
                {"name": "%s",
                 "data": {"dataset": "fashion-mnist", "path": "%s", "limit": 300, "test_limit": 200 %s},
                 "model": {"input": [1, 28, 28], "init": %s, "layers": [
                   {"type": "conv2d", "filters": 4, "kernel": 5, "activation": "relu"},
                   {"type": "maxpool", "kernel": 2, "stride": 2},
                   {"type": "dense", "units": 16, "activation": "relu"},
                   {"type": "output"}]},
                 "optimizer": {"type": "adam", "lr": 0.003},
                 "train": {"epochs": 1, "batch": 50, "seed": %d, "validation": 0}}
                """.formatted(name, DataSpec.DEFAULT_PATH, normalize == null ? "" : ", \"normalize\": \"" + normalize
                + "\"", init, seed);
        Path p = files.resolve(name + ".json");
        Files.writeString(p, json);
        return p;
    }

    private RunSummary train(Path spec) {
        InProcessCli.Result r = InProcessCli.run("run", spec.toString(), "--home", home.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        try (Database db = Database.openEmbedded(home)) {
            return new RunQueries(db).listRuns().get(0);
        }
    }

    private JsonObject provenance(String runId) {
        try (Database db = Database.openEmbedded(home)) {
            return new JsonObject(new RunQueries(db).specAndProvenance(runId).get("provenance"));
        }
    }

    /** The accuracy the ensemble's table gives member {@code runId}. */
    private static double memberAccuracy(String out, String runId) {
        String line = out.lines().filter(l -> l.startsWith(runId)).findFirst().orElseThrow();
        return Double.parseDouble(line.substring(runId.length()).trim().split("\\s+")[0]);
    }

    @Test
    void transferRunsInheritTheSourcesNormalisationAndEnsembleMembersKeepTheirOwn() throws IOException {
        RunSummary normed = train(spec("normed", 1, "mean_std", "\"xavier\""));
        RunSummary plain = train(spec("plain", 2, null, "\"xavier\""));
        assertThat(provenance(normed.id()).getString("data.std")).isNotNull();
        assertThat(provenance(plain.id()).containsKey("data.mean")).isFalse();

        RunSummary fine = train(spec("fine", 3, null, "{\"from\": \"run:" + normed.id() + "\", \"freeze\": 1}"));
        JsonObject fineProvenance = provenance(fine.id());
        assertThat(fineProvenance.getString("data.normalize")).isEqualTo("source");
        assertThat(fineProvenance.getString("data.mean")).isEqualTo(provenance(normed.id()).getString("data.mean"));
        assertThat(fineProvenance.getString("data.std")).isEqualTo(provenance(normed.id()).getString("data.std"));

        // the unnormalised member first: the test set was read through the first member's spec before
        InProcessCli.Result r = InProcessCli.run("ensemble", plain.id(), normed.id(), fine.id(), "--home",
                home.toString(), "--no-record");
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (RunSummary member : new RunSummary[] {plain, normed, fine}) {
            assertThat(memberAccuracy(r.out(), member.id())).as(member.name() + " in the ensemble vs its own test")
                    .isCloseTo(member.metrics().get("test_accuracy"), Offset.offset(0.006));
        }
    }
}
