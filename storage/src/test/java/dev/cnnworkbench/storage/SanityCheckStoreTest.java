package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.sanity.CheckResult;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SanityCheckStoreTest {

    @TempDir
    Path home;

    @Test
    void storesOneRowPerCheckUnderItsSession() throws SQLException {
        try (Database db = Database.openEmbedded(home)) {
            SanityCheckStore store = new SanityCheckStore(db);
            store.write(new SanityCheckStore.Session("s1", "lenet", "{}", null, "ada", 1_700_000_000_000L), List.of(
                    new CheckResult("initial_loss", CheckResult.Verdict.PASS, 2.31, "2.303 ± 0.576 (ln 10)", "fine"),
                    new CheckResult("gradient_check", CheckResult.Verdict.FAIL, Double.NaN, "<= 1e-03", "error"),
                    new CheckResult("other", CheckResult.Verdict.SKIP, Double.NaN, "n/a", "not softmax")));
            store.write(new SanityCheckStore.Session("s2", "lenet", "{}", "run1", "bob", 1_700_000_001_000L),
                    List.of(new CheckResult("initial_loss", CheckResult.Verdict.FAIL, 9.1, "x".repeat(300), "bad")));

            assertThat(store.read("s1")).containsExactly(
                    new SanityCheckStore.Row("s1", "lenet", "initial_loss", true, 2.31, "2.303 ± 0.576 (ln 10)", "fine", "ada"),
                    new SanityCheckStore.Row("s1", "lenet", "gradient_check", false, null, "<= 1e-03", "error", "ada"),
                    new SanityCheckStore.Row("s1", "lenet", "other", true, null, "n/a", "skipped: not softmax", "ada"));
            assertThat(store.read("s2")).singleElement().satisfies(r -> {
                assertThat(r.passed()).isFalse();
                assertThat(r.expected()).hasSize(255).endsWith("...");
            });
            assertThat(store.read("nope")).isEmpty();
        }
        assertThatThrownBy(() -> new SanityCheckStore.Session("a b", "e", "{}", null, "u", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
