package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep command's checks and plan, with no training. */
class SweepCommandTest {

    @TempDir
    Path home;

    @Test
    void dryRunListsTheTrialsOfTheShippedSweep() {
        InProcessCli.Result r = InProcessCli.run("sweep", "../experiments/sweep-lr-reg.json", "--dry-run", "--home", home.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("sweep sweep-lr-reg: 12 random trials, 0 done, 0 running elsewhere, 12 to run, 2 at a time");
        assertThat(r.out().lines()).hasSize(12).first().asString()
                .startsWith("sweep-lr-reg-trial-001  optimizer.lr=").contains("regularization.l2=");
    }

    @Test
    void theComparisonSpecIsAGridOverTwoSchedules() {
        InProcessCli.Result r = InProcessCli.run("sweep", "../experiments/snapshot-vs-single.json", "--dry-run",
                "--home", home.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "snapshot-vs-single-trial-001  schedule={\"type\":\"step\",\"epochs\":[5,8],\"factor\":0.1}",
                "snapshot-vs-single-trial-002  schedule={\"type\":\"snapshot\",\"cycles\":5}");
    }

    @Test
    void aTrialSpecThePluginsRefuseFailsBeforeAnyTrainingWithItsPath() throws Exception {
        Path spec = home.resolve("bad.json");
        Files.writeString(spec, Files.readString(Path.of("../experiments/sweep-lr-reg.json"))
                .replace("\"regularization.l2\": {\"loguniform\": [1e-5, 10]}",
                        "\"optimizer.beta1\": {\"uniform\": [0.5, 1.5]}"));
        InProcessCli.Result r = InProcessCli.run("sweep", spec.toString(), "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("invalid spec:").contains("optimizer.beta1").contains("(in trial ");
        assertThat(Files.exists(home.resolve("db"))).as("no database opened").isFalse();
    }

    @Test
    void aBadSweepSectionNamesThePath() throws Exception {
        Path spec = home.resolve("bad.json");
        Files.writeString(spec, Files.readString(Path.of("../experiments/sweep-lr-reg.json"))
                .replace("[1e-6, 1e-3]", "[1e-3, 1e-6]"));
        InProcessCli.Result r = InProcessCli.run("sweep", spec.toString(), "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("sweep.params.optimizer.lr.loguniform: must be [low, high] with 0 < low < high");
    }

    @Test
    void aSpecIsRequired() {
        assertThat(InProcessCli.run("sweep", "--home", home.toString()).exitCode()).isEqualTo(2);
    }
}
