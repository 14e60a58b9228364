package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.RunSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code workbench runs}: a run logged through the MLflow API has a 32-character id (a trainer's has 12); the table
 * kept a 12-character ID column, so every column of that row was shifted right of its heading.
 */
class RunTableWidthTest {

    private static RunSummary run(String id, String name) {
        Instant t = Instant.parse("2026-12-02T18:00:00Z");
        return new RunSummary(id, name, "e", RunStatus.FINISHED, "u", "h", t, t.plusSeconds(5), null, Map.of(),
                Map.of("val_accuracy", 0.5), List.of(), null);
    }

    @Test
    void everyRowsColumnsStartUnderTheirHeadingsWhateverTheIdsLength() {
        String table = RunFormats.table(List.of(run("ca4c5aca0e314b859d4822efa32bf8fb", "mlflow-run"),
                run("e1b0c0381c0a", "lenet5")));
        List<String> lines = table.lines().toList();
        int name = lines.get(0).indexOf("NAME");
        assertThat(lines.get(1).indexOf("mlflow-run")).isEqualTo(name);
        assertThat(lines.get(2).indexOf("lenet5")).isEqualTo(name);
        int status = lines.get(0).indexOf("STATUS");
        assertThat(lines.get(1).indexOf("FINISHED")).isEqualTo(status);
        assertThat(lines.get(2).indexOf("FINISHED")).isEqualTo(status);
    }
}
