package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.RunStatus;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunQueriesFilterTest {

    @TempDir
    static Path home;
    static Database db;
    static RunQueries queries;

    @BeforeAll
    static void history() throws SQLException {
        db = Database.openEmbedded(home);
        queries = new RunQueries(db);
        new TestRuns(db)
                .run("a1", "lenet", RunStatus.FINISHED, "2024-05-01T10:00:00Z",
                        Map.of("optimizer.lr", 0.001, "optimizer.name", "adam", "data.batch", 32, "data.augment", true),
                        Map.of("val_accuracy", 0.91, "train_loss", 0.30))
                .run("a2", "lenet", RunStatus.FINISHED, "2024-05-02T10:00:00Z",
                        Map.of("optimizer.lr", 0.0005, "optimizer.name", "adam", "data.batch", 128, "data.augment", false),
                        Map.of("val_accuracy", 0.88, "train_loss", 0.35))
                .run("b1", "resnet", RunStatus.FAILED, "2024-05-03T10:00:00Z",
                        Map.of("optimizer.lr", 0.1, "optimizer.name", "sgd", "data.batch", 64),
                        Map.of("train_loss", Double.NaN))
                .run("b2", "resnet", RunStatus.FINISHED, "2024-05-04T10:00:00Z",
                        Map.of("optimizer.lr", 0.0001, "optimizer.name", "sgd", "data.batch", 64,
                                "model.layers[0].filters", 6),
                        Map.of("val_accuracy", 0.95, "train_loss", 0.20, "update_ratio/conv1", 0.001))
                .run("c1", "lenet", RunStatus.RUNNING, "2024-05-05T10:00:00Z",
                        Map.of("optimizer.lr", 0.01, "optimizer.name", "adam's"),
                        Map.of());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static List<String> ids(String filter) {
        return queries.find(new RunQuery(filter, "id", false, 0, 100)).runs().stream().map(RunSummary::id).toList();
    }

    @Test
    void tellsASortKeySomeRunHasFromOneNoRunHas() {
        assertThat(queries.anyRunHas(new dev.cnnworkbench.storage.filter.Field.Metric("val_accuracy"))).isTrue();
        assertThat(queries.anyRunHas(new dev.cnnworkbench.storage.filter.Field.Metric("nope"))).isFalse();
        assertThat(queries.anyRunHas(new dev.cnnworkbench.storage.filter.Field.Param("optimizer.lr"))).isTrue();
        assertThat(queries.anyRunHas(new dev.cnnworkbench.storage.filter.Field.Param("optimizer.nope"))).isFalse();
        assertThat(queries.anyRunHas(dev.cnnworkbench.storage.filter.Field.COLUMNS.get("name"))).isTrue();
    }

    @Test
    void filtersByNumericParameterAndLatestMetric() {
        assertThat(ids("params.optimizer.lr < 0.01 and metrics.val_accuracy > 0.9")).containsExactly("a1", "b2");
    }

    @Test
    void comparesNumericParametersAsNumbersNotAsText() {
        // As text, "128" < "32" and "1.0E-4" > "0.001"; as numbers neither holds.
        assertThat(ids("params.data.batch < 100")).containsExactly("a1", "b1", "b2");
        assertThat(ids("params.optimizer.lr <= 0.0005")).containsExactly("a2", "b2");
        assertThat(ids("params.optimizer.lr = 1e-4")).containsExactly("b2");
    }

    @Test
    void combinesOrNotAndParentheses() {
        assertThat(ids("experiment = 'resnet' or (experiment = 'lenet' and not status = 'finished')"))
                .containsExactly("b1", "b2", "c1");
        assertThat(ids("not (params.optimizer.name = 'adam' or params.optimizer.name = 'sgd')")).containsExactly("c1");
        assertThat(ids("experiment = 'lenet' AND status != 'RUNNING' OR metrics.val_accuracy >= 0.95"))
                .containsExactly("a1", "a2", "b2");
    }

    @Test
    void negationIncludesRunsWithoutTheParameterOrMetric() {
        assertThat(ids("not metrics.val_accuracy > 0.9")).containsExactly("a2", "b1", "c1");
        assertThat(ids("not params.data.batch = 64")).containsExactly("a1", "a2", "c1");
    }

    @Test
    void matchesInListsOfNumbersTextsAndStatuses() {
        assertThat(ids("params.data.batch in (32, 128)")).containsExactly("a1", "a2");
        assertThat(ids("status in ('failed', 'RUNNING')")).containsExactly("b1", "c1");
        assertThat(ids("params.optimizer.name not in ('adam', 'sgd')")).containsExactly("c1");
        assertThat(ids("id in ('a1', 'zz')")).containsExactly("a1");
    }

    @Test
    void comparesBooleanParametersWithTrueAndFalse() {
        assertThat(ids("params.data.augment = true")).containsExactly("a1");
        assertThat(ids("params.data.augment != true")).containsExactly("a2");
    }

    @Test
    void matchesLikeOnColumnsAndTextParameters() {
        assertThat(ids("error like '%memory%'")).containsExactly("b1");
        assertThat(ids("name like 'run a%'")).containsExactly("a1", "a2");
        assertThat(ids("params.optimizer.name ilike 'ADAM%'")).containsExactly("a1", "a2", "c1");
        assertThat(ids("params.optimizer.name not like 'adam%'")).containsExactly("b1", "b2");
    }

    @Test
    void comparesTimeColumnsWithIsoDates() {
        assertThat(ids("started_at >= '2024-05-03' and started_at < '2024-05-04T12:00'")).containsExactly("b1", "b2");
        assertThat(ids("ended_at is null")).containsExactly("c1");
        assertThat(ids("duration = 60")).containsExactly("a1", "a2", "b1", "b2");
        assertThat(ids("duration > 3600")).containsExactly("c1");
    }

    @Test
    void findsMissingAndPresentValuesWithIsNull() {
        assertThat(ids("metrics.val_accuracy is null")).containsExactly("b1", "c1");
        assertThat(ids("params.data.augment is not null")).containsExactly("a1", "a2");
    }

    @Test
    void matchesNaNAndNamesWithSlashesAndIndexes() {
        assertThat(ids("metrics.train_loss = NaN")).containsExactly("b1");
        assertThat(ids("metrics.train_loss < 0.31")).containsExactly("a1", "b2");
        assertThat(ids("metrics.update_ratio/conv1 > 1e-4")).containsExactly("b2");
        assertThat(ids("metrics.`update_ratio/conv1` > 1e-4")).containsExactly("b2");
        assertThat(ids("params.model.layers[0].filters = 6")).containsExactly("b2");
    }

    @Test
    void bindsValuesSoQuotesCannotChangeTheQuery() {
        assertThat(ids("name = 'x'' OR ''1''=''1'")).isEmpty();
        assertThat(ids("params.optimizer.name = 'adam''s'")).containsExactly("c1");
        assertThat(ids("params.`x'; DROP TABLE runs; --` = 1")).isEmpty();
        assertThat(queries.listRuns()).hasSize(5);
    }

    @Test
    void sortsByColumnParameterAndMetricWithMissingValuesLast() {
        assertThat(sorted("params.optimizer.lr", false)).containsExactly("b2", "a2", "a1", "c1", "b1");
        assertThat(sorted("params.optimizer.lr", true)).containsExactly("b1", "c1", "a1", "a2", "b2");
        assertThat(sorted("metrics.val_accuracy", true)).containsExactly("b2", "a1", "a2", "b1", "c1");
        assertThat(sorted("metrics.val_accuracy", false)).containsExactly("a2", "a1", "b2", "b1", "c1");
        assertThat(sorted("params.data.augment", false)).containsExactly("a2", "a1", "b1", "b2", "c1");
        assertThat(sorted("name", true)).containsExactly("c1", "b2", "b1", "a2", "a1");
    }

    private static List<String> sorted(String key, boolean descending) {
        return queries.find(new RunQuery("", key, descending, 0, 100)).runs().stream().map(RunSummary::id).toList();
    }

    @Test
    void pagesWithTheTotalCount() {
        RunPage first = queries.find(new RunQuery("status = 'FINISHED'", "started_at", false, 0, 2));
        assertThat(first.runs()).extracting(RunSummary::id).containsExactly("a1", "a2");
        assertThat(first.total()).isEqualTo(3);
        assertThat(first.hasMore()).isTrue();
        RunPage second = queries.find(new RunQuery("status = 'FINISHED'", "started_at", false, 2, 2));
        assertThat(second.runs()).extracting(RunSummary::id).containsExactly("b2");
        assertThat(second.hasMore()).isFalse();
        RunPage countOnly = queries.find(new RunQuery("", null, true, 0, 0));
        assertThat(countOnly.runs()).isEmpty();
        assertThat(countOnly.total()).isEqualTo(5);
    }

    @Test
    void returnsParametersAndMetricsOfEachRunOnThePage() {
        RunSummary b2 = queries.find(RunQuery.filter("id = 'b2'", 10)).runs().get(0);
        assertThat(b2.params()).containsEntry("optimizer.lr", 0.0001).containsEntry("optimizer.name", "sgd")
                .as("a whole-number parameter comes back whole, not as 64.0").containsEntry("data.batch", 64L);
        assertThat(b2.metrics()).containsEntry("val_accuracy", 0.95);
        assertThat(b2.status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void listRunsReturnsEveryRunNewestFirst() {
        assertThat(queries.listRuns()).extracting(RunSummary::id).containsExactly("c1", "b2", "b1", "a2", "a1");
        assertThat(queries.run("b1")).get().extracting(RunSummary::error).isEqualTo("boom: out of memory");
        assertThat(queries.run("nope")).isEmpty();
    }

    @Test
    void rejectsMalformedFilterWithTokenAndPosition() {
        assertThatThrownBy(() -> queries.find(RunQuery.filter("status = 'FINISHED' and", 10)))
                .isInstanceOfSatisfying(FilterException.class, e -> assertThat(e.position()).isEqualTo(23));
        assertThatThrownBy(() -> queries.find(new RunQuery("", "params.", false, 0, 10)))
                .isInstanceOf(FilterException.class).hasMessageContaining("unknown field 'params.'");
    }
}
