package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.SanityCheckStore;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code workbench check} as a person runs it, on the notes' LeNet (the two quick checks; the whole set is run by
 * hand): PASS/FAIL lines with measured and expected values, the exit code, and the results in the home's database.
 */
class CheckCommandIT {

    private static final String LENET = "../experiments/lenet5-fashion.json";

    @TempDir
    Path home;

    private String session(String out) {
        Matcher m = Pattern.compile("recorded as check session (\\w+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    @Test
    void printsStoresAndPassesOnAHealthySpec() throws Exception {
        var r = InProcessCli.run("check", LENET, "--home", home.toString(), "--only", "initial_loss,overfit_small_subset");
        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("PASS initial_loss +measured 2\\.3\\d+ +expected 2\\.303 ± 0\\.576 \\(ln 10\\)")
                .contains("PASS overfit_small_subset").contains("2 passed, 0 failed, 0 skipped");
        try (Database db = Database.openEmbedded(home)) {
            assertThat(new SanityCheckStore(db).read(session(r.out()))).extracting(SanityCheckStore.Row::checkName,
                    SanityCheckStore.Row::passed, SanityCheckStore.Row::experiment).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("initial_loss", true, "lenet5-fashion"),
                    org.assertj.core.groups.Tuple.tuple("overfit_small_subset", true, "lenet5-fashion"));
        }
    }

    /** A learning rate far too low cannot overfit 20 images (on a slimmed LeNet, to keep the 200 epochs quick). */
    @Test
    void exitsNonZeroWhenACheckFails() throws Exception {
        var r = InProcessCli.run("check", LENET, "--home", home.toString(), "--only", "overfit_small_subset",
                "--set", "optimizer.lr=1e-8", "--set", "model.layers[0].filters=2", "--set", "model.layers[2].filters=2",
                "--set", "model.layers[4].units=8");
        assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL overfit_small_subset").contains("0 passed, 1 failed");
        try (Database db = Database.openEmbedded(home)) {
            assertThat(new SanityCheckStore(db).read(session(r.out()))).singleElement()
                    .satisfies(row -> assertThat(row.passed()).isFalse());
        }
        assertThat(InProcessCli.run("check", LENET, "--home", home.toString(), "--only", "nope").exitCode()).isEqualTo(2);
    }
}
