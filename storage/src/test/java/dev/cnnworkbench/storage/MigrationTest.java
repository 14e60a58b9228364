package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationTest {

    private static final String RUN1 = "v1run000000000000000000000000001";
    private static final String RUN2 = "v1run000000000000000000000000002";

    @TempDir
    Path home;

    /** A copy of a committed fixture database as the embedded database of {@link #home}. */
    private void install(String fixture) throws IOException {
        Path db = Files.createDirectories(home.resolve("db")).resolve("workbench.mv.db");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + fixture)) {
            Files.copy(in, db);
        }
    }

    private static List<String> appliedVersions(Database db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\""
                     + " WHERE \"success\" AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void migratesAnEmptyDatabaseToTheCurrentSchema() throws SQLException {
        try (Database db = Database.openEmbedded(home)) {
            assertThat(appliedVersions(db)).startsWith("1", "2", "3");
            assertThat(new RunQueries(db).listRuns()).isEmpty();
        }
        try (Database again = Database.openEmbedded(home)) {
            assertThat(new RunQueries(again).listRuns()).isEmpty();
        }
    }

    @Test
    void keepsRunsParamsAndMetricsOfAVersion1Database() throws IOException, SQLException {
        install("v1.mv.db");
        try (Database db = Database.openEmbedded(home)) {
            RunQueries queries = new RunQueries(db);
            assertThat(queries.listRuns()).extracting(RunSummary::id).containsExactly(RUN2, RUN1);
            RunSummary first = queries.run(RUN1).orElseThrow();
            assertThat(first.status()).isEqualTo(RunStatus.FINISHED);
            assertThat(first.user()).isEqualTo("alice");
            assertThat(first.params()).containsEntry("optimizer.lr", 0.01).containsEntry("optimizer.name", "adam");
            assertThat(first.metrics()).containsEntry("val_accuracy", 0.87).containsEntry("train_loss", 2.3 / 50);
            assertThat(queries.specAndProvenance(RUN1)).containsEntry("spec", "{\"seed\":1}");

            List<MetricPoint> loss = queries.history(RUN1, "train_loss");
            assertThat(loss).hasSize(50);
            assertThat(loss.get(25).value()).isNaN();
            assertThat(loss.get(49)).isEqualTo(new MetricPoint("train_loss", 49, 4, 1_714_557_649_000L, 2.3 / 50));
            List<MetricPoint> coarse = queries.histories(new HistoryQuery(List.of(RUN1), "train_loss", 10)).get(0).points();
            assertThat(coarse).hasSizeLessThanOrEqualTo(10).extracting(MetricPoint::value).contains(Double.NaN, 2.3);

            assertThat(queries.find(RunQuery.filter("params.optimizer.lr < 0.005 and metrics.train_loss > 2", 10)).runs())
                    .extracting(RunSummary::id).containsExactly(RUN2);

            assertThat(queries.experiments()).singleElement().satisfies(e -> {
                assertThat(e.name()).isEqualTo("lenet5-fashion");
                assertThat(e.runs()).isEqualTo(2);
                assertThat(e.createdAt()).isEqualTo(java.time.Instant.parse("2024-05-01T10:00:00Z"));
            });
            assertThat(first.tags()).isEmpty();
            assertThat(first.notes()).isNull();
        }
    }

    @Test
    void createsEveryTableOfTheCurrentSchemaOverAVersion1Database() throws IOException, SQLException {
        install("v1.mv.db");
        try (Database db = Database.openEmbedded(home)) {
            List<String> tables = new ArrayList<>();
            try (Connection c = db.connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT LOWER(table_name) FROM information_schema.tables"
                         + " WHERE table_schema = 'PUBLIC' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("runs", "run_params", "metric_series", "metric_chunks", "metric_rollups",
                    "latest_metrics", "experiments", "run_tags", "artifacts", "sweeps", "sweep_trials", "ensembles",
                    "ensemble_members", "ensemble_results", "sweep_rungs", "run_warnings", "sanity_checks", "users",
                    "api_tokens", "browser_sessions");
            assertThat(tables).doesNotContain("metrics", "metric_points");
            assertThat(appliedVersions(db)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");
        }
    }

    @Test
    void appendsToSeriesCarriedOverFromVersion1() throws IOException, SQLException {
        install("v1.mv.db");
        try (Database db = Database.openEmbedded(home)) {
            new RunWriter(db).insertMetrics(List.of(new RunWriter.RunPoint(RUN2,
                    new MetricPoint("train_loss", 1, 0, 1_714_644_001_000L, 2.0))));
            assertThat(new RunQueries(db).history(RUN2, "train_loss")).extracting(MetricPoint::value).containsExactly(2.31, 2.0);
            assertThat(new RunQueries(db).run(RUN2).orElseThrow().metrics()).containsEntry("train_loss", 2.0);
        }
    }
}
