package dev.cnnworkbench.web.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricJournalTest {

    @TempDir
    Path dir;

    @Test
    void appendedPointsReadBackBitForBitByRunAndATornLastLineIsIgnored() throws IOException {
        MetricJournal journal = new MetricJournal(dir.resolve("db"));
        List<MetricPoint> a = List.of(new MetricPoint("val acc/top-1", 3, 0, 1_700_000_000_123L, 0.125),
                new MetricPoint("loss", -1, 0, 7, Double.NaN), new MetricPoint("loss", 9_000_000_000L, 0, 8, -0.0));
        journal.append("run-a", a);
        journal.append("run-b", List.of(new MetricPoint("x", 0, 0, 1, Double.NEGATIVE_INFINITY)));
        List<Path> segments = journal.rotate();
        assertThat(segments).singleElement();
        Files.writeString(segments.get(0), "run-b\t1\t0\t2\t3ff0000000000000\tx", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND); // a write cut short by a kill: never acknowledged

        Map<String, List<MetricPoint>> read = MetricJournal.read(segments.get(0));
        assertThat(read.keySet()).containsExactly("run-a", "run-b");
        assertThat(read.get("run-a")).containsExactlyElementsOf(a);
        assertThat(Double.doubleToRawLongBits(read.get("run-a").get(2).value()))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(read.get("run-b")).containsExactly(new MetricPoint("x", 0, 0, 1, Double.NEGATIVE_INFINITY));
    }

    @Test
    void segmentsAreRotatedOnlyWhenWrittenAndDeletedOnceConfirmed() throws IOException {
        MetricJournal journal = new MetricJournal(dir);
        assertThat(journal.rotate()).isEmpty();
        journal.append("r", List.of(new MetricPoint("m", 1, 0, 1, 1)));
        List<Path> first = journal.rotate();
        journal.append("r", List.of(new MetricPoint("m", 2, 0, 2, 2)));
        List<Path> both = journal.rotate();
        assertThat(both).hasSize(2).containsAll(first);
        assertThat(journal.rotate()).as("nothing new: the unconfirmed segments again").isEqualTo(both);
        journal.delete(first);
        assertThat(first.get(0)).doesNotExist();
        assertThat(journal.rotate()).hasSize(1).doesNotContainAnyElementsOf(first);
    }

    @Test
    void leftoversAreSegmentsNoLiveProcessWrites() throws IOException {
        MetricJournal mine = new MetricJournal(dir);
        mine.append("r", List.of(new MetricPoint("m", 1, 0, 1, 1)));
        MetricJournal earlier = new MetricJournal(dir); // this process's earlier journal: closed, never confirmed
        earlier.append("r", List.of(new MetricPoint("m", 0, 0, 0, 0)));
        earlier.close();
        Path live = dir.resolve(MetricJournal.PREFIX + ProcessHandle.current().parent().orElseThrow().pid() + "-1-0.log");
        Files.writeString(live, "another live process writes this");

        List<Path> leftovers = mine.leftovers();
        assertThat(leftovers).singleElement().satisfies(p ->
                assertThat(MetricJournal.read(p)).containsEntry("r", List.of(new MetricPoint("m", 0, 0, 0, 0))));
        assertThat(mine.rotate()).doesNotContainAnyElementsOf(leftovers);
        assertThat(new MetricJournal(dir.resolve("none")).leftovers()).isEmpty();
    }

    @Test
    void aFileThatIsNotAJournalIsRefusedWithItsName() throws IOException {
        Path other = dir.resolve(MetricJournal.PREFIX + "1-2-3.log");
        Files.writeString(other, "something else\n");
        assertThatThrownBy(() -> MetricJournal.read(other)).isInstanceOf(IOException.class)
                .hasMessageContaining(other.toString()).hasMessageContaining("not a metric journal");
    }
}
