package dev.cnnworkbench.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * Writes the database fixtures of past schema versions, kept under {@code src/test/resources/fixtures/}
 * so that every later migration is tested against a real database of each version. Not a test: run
 * once when a schema version is released, then commit the file; never regenerate an existing one.
 *
 * <pre>java -cp target/test-classes:$(deps) dev.cnnworkbench.storage.SchemaFixtures 1 src/test/resources/fixtures</pre>
 */
public final class SchemaFixtures {

    private SchemaFixtures() {
    }

    public static void main(String[] args) throws SQLException, java.io.IOException {
        String version = args[0];
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        Path base = dir.resolve("v" + version).toAbsolutePath();
        Files.deleteIfExists(Path.of(base + ".mv.db"));
        String url = "jdbc:h2:file:" + base;
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target(version).load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            if (version.equals("1")) {
                v1(s);
            }
            s.execute("SHUTDOWN COMPACT");
        }
    }

    /** Two runs of the V1 schema: one finished with a NaN loss point, one left RUNNING by a dead process. */
    private static void v1(Statement s) throws SQLException {
        s.execute("INSERT INTO runs (id, name, experiment, status, spec, provenance, user_name, host, pid, started_at,"
                + " ended_at, error) VALUES"
                + " ('v1run000000000000000000000000001', 'lenet-a', 'lenet5-fashion', 'FINISHED', '{\"seed\":1}',"
                + " '{\"git\":\"v1\"}', 'alice', 'box', 1, TIMESTAMP WITH TIME ZONE '2024-05-01 10:00:00+00',"
                + " TIMESTAMP WITH TIME ZONE '2024-05-01 10:05:00+00', NULL),"
                + " ('v1run000000000000000000000000002', 'lenet-b', 'lenet5-fashion', 'RUNNING', '{\"seed\":2}',"
                + " '{\"git\":\"v1\"}', 'bob', 'box', 2, TIMESTAMP WITH TIME ZONE '2024-05-02 10:00:00+00', NULL, NULL)");
        s.execute("INSERT INTO run_params (run_id, name, num_value, text_value) VALUES"
                + " ('v1run000000000000000000000000001', 'optimizer.lr', 0.01, '0.01'),"
                + " ('v1run000000000000000000000000001', 'optimizer.name', NULL, 'adam'),"
                + " ('v1run000000000000000000000000002', 'optimizer.lr', 0.001, '0.001'),"
                + " ('v1run000000000000000000000000002', 'optimizer.name', NULL, 'sgd')");
        StringBuilder points = new StringBuilder("INSERT INTO metrics (run_id, name, step, epoch, wall_time, val) VALUES ");
        for (int step = 0; step < 50; step++) {
            double loss = step == 25 ? Double.NaN : 2.3 / (1 + step);
            points.append(step == 0 ? "" : ", ").append("('v1run000000000000000000000000001', 'train_loss', ")
                    .append(step).append(", ").append(step / 10).append(", ").append(1_714_557_600_000L + step * 1000L)
                    .append(", ").append(Double.isNaN(loss) ? "CAST('NaN' AS DOUBLE PRECISION)" : Double.toString(loss))
                    .append(")");
        }
        points.append(", ('v1run000000000000000000000000001', 'val_accuracy', 49, 4, 1714557649000, 0.87)")
                .append(", ('v1run000000000000000000000000002', 'train_loss', 0, 0, 1714644000000, 2.31)");
        s.execute(points.toString());
        s.execute("INSERT INTO latest_metrics (run_id, name, step, epoch, wall_time, val) VALUES"
                + " ('v1run000000000000000000000000001', 'train_loss', 49, 4, 1714557649000, " + (2.3 / 50) + "),"
                + " ('v1run000000000000000000000000001', 'val_accuracy', 49, 4, 1714557649000, 0.87),"
                + " ('v1run000000000000000000000000002', 'train_loss', 0, 0, 1714644000000, 2.31)");
    }
}
