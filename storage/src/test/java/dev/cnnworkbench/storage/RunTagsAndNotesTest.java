package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunTagsAndNotesTest {

    @TempDir
    Path home;
    Database db;
    RunWriter writer;
    RunQueries queries;

    @BeforeEach
    void runs() throws SQLException {
        db = Database.openEmbedded(home);
        TestRuns runs = new TestRuns(db);
        runs.run("a1", "lenet", RunStatus.FINISHED, "2024-05-01T10:00:00Z", Map.of(), Map.of())
                .run("a2", "lenet", RunStatus.FINISHED, "2024-05-02T10:00:00Z", Map.of(), Map.of())
                .run("b1", "resnet", RunStatus.FAILED, "2024-05-03T10:00:00Z", Map.of(), Map.of());
        writer = runs.writer();
        queries = new RunQueries(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private List<String> ids(String filter) {
        return queries.find(new RunQuery(filter, "id", false, 0, 100)).runs().stream().map(RunSummary::id).toList();
    }

    @Test
    void addsTagsOnceTrimmedAndShowsThemSorted() throws SQLException {
        assertThat(writer.addTags("a1", List.of(" baseline", "lr-sweep", "baseline "))).isTrue();
        assertThat(writer.addTags("a1", List.of("baseline"))).isTrue();
        assertThat(queries.tags("a1")).containsExactly("baseline", "lr-sweep");
        assertThat(queries.run("a1").orElseThrow().tags()).containsExactly("baseline", "lr-sweep");
        assertThat(queries.run("a2").orElseThrow().tags()).isEmpty();
    }

    @Test
    void refusesBlankLongOrControlCharacterTags() {
        assertThatThrownBy(() -> writer.addTags("a1", List.of("  "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag must be 1 to 64 characters");
        assertThatThrownBy(() -> writer.addTags("a1", List.of("x".repeat(65)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.addTags("a1", List.of("a\nb"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(queries.tags("a1")).isEmpty();
    }

    @Test
    void answersFalseForTagsAndNotesOfAnUnknownRun() throws SQLException {
        assertThat(writer.addTags("nope", List.of("x"))).isFalse();
        assertThat(writer.setNotes("nope", "hello")).isFalse();
        assertThat(queries.allTags()).isEmpty();
    }

    @Test
    void removesTags() throws SQLException {
        writer.addTags("a1", List.of("x", "y", "z"));
        assertThat(writer.removeTags("a1", List.of("x", "z", "absent"))).isEqualTo(2);
        assertThat(queries.tags("a1")).containsExactly("y");
    }

    @Test
    void setsAndClearsNotes() throws SQLException {
        assertThat(writer.setNotes("b1", "diverged: lr too high\nretry with 1e-3")).isTrue();
        assertThat(queries.notes("b1")).contains("diverged: lr too high\nretry with 1e-3");
        assertThat(queries.run("b1").orElseThrow().notes()).startsWith("diverged");
        writer.setNotes("b1", "  ");
        assertThat(queries.notes("b1")).isEmpty();
        assertThat(queries.run("b1").orElseThrow().notes()).isNull();
    }

    @Test
    void filtersByTagAndNotes() throws SQLException {
        writer.addTags("a1", List.of("baseline", "fashion"));
        writer.addTags("b1", List.of("fashion"));
        writer.setNotes("a2", "try mixup next");
        assertThat(ids("tag = 'fashion'")).containsExactly("a1", "b1");
        assertThat(ids("tags in ('baseline', 'other')")).containsExactly("a1");
        assertThat(ids("not tag = 'baseline'")).containsExactly("a2", "b1");
        assertThat(ids("tag is null")).containsExactly("a2");
        assertThat(ids("tag like 'fash%' and experiment = 'resnet'")).containsExactly("b1");
        assertThat(ids("notes ilike '%MIXUP%'")).containsExactly("a2");
        assertThatThrownBy(() -> queries.find(new RunQuery("", "tag", false, 0, 10)))
                .isInstanceOf(FilterException.class).hasMessageContaining("cannot be sorted by tag");
    }

    @Test
    void countsRunsPerTag() throws SQLException {
        writer.addTags("a1", List.of("baseline", "fashion"));
        writer.addTags("b1", List.of("fashion"));
        assertThat(queries.allTags()).containsExactly(Map.entry("baseline", 1L), Map.entry("fashion", 2L));
    }

    @Test
    void recordsEachExperimentOnceWithItsRuns() throws SQLException {
        assertThat(queries.experiments()).extracting(ExperimentSummary::name, ExperimentSummary::runs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("resnet", 1L), org.assertj.core.groups.Tuple.tuple("lenet", 2L));
        assertThat(queries.experiments().get(1).createdBy()).isEqualTo("user-a");
    }

    @Test
    void ignoresAStartDeliveredTwice() throws SQLException {
        RunStarted again = new RunStarted("a1", "renamed", "lenet", "{}", Map.of("x", 1), Map.of(), 0, 1, "h", "u");
        writer.insertRun(again);
        assertThat(queries.run("a1").orElseThrow().name()).isEqualTo("run a1");
        assertThat(queries.listRuns()).hasSize(3);
    }
}
