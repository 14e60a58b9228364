package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.RunWarning;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestQueueTest {

    @TempDir
    Path dir;

    private static IngestQueue.Points points(String run, int from, int n) {
        List<MetricPoint> list = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            list.add(new MetricPoint("loss", i, 0, i, i == 7 ? Double.NaN : i * 0.5));
        }
        return new IngestQueue.Points(run, list);
    }

    private static final IngestQueue.Start START = new IngestQueue.Start(new RunStarted("r", "n", "e", "{}",
            Map.of("lr", 0.1), Map.of("git", "x"), 1, 2, "h", "u"));
    private static final IngestQueue.End END = new IngestQueue.End(new RunEnded("r", RunStatus.FINISHED, null, 3));
    private static final IngestQueue.Warning WARNING = new IngestQueue.Warning(new RunWarning("r", "initial_loss", 0,
            "initial loss 9.1 is far from ln(10) = 2.30: \"check the init\"\n", 4));
    private static final IngestQueue.Artifact ARTIFACT = new IngestQueue.Artifact(new RunArtifact("r", "image",
            "first-layer filters", "r/filters-0001.png", 1234, "ab".repeat(32), "image/png", 100, 1, 5));

    /** Takes everything out, as the verticle does after writing. */
    private static List<IngestQueue.Op> drain(IngestQueue q) {
        List<IngestQueue.Op> out = new ArrayList<>();
        while (!q.isEmpty()) {
            out.add(q.peek());
            q.remove(1);
        }
        return out;
    }

    @Test
    void spillsBeyondTheBoundAndReadsBackInArrivalOrder() {
        Path file = dir.resolve("q.spill");
        try (IngestQueue q = new IngestQueue(100, file)) {
            List<IngestQueue.Op> sent = new ArrayList<>();
            sent.add(START);
            for (int i = 0; i < 50; i++) {
                sent.add(points("r", i * 10, 10));
            }
            sent.add(END);
            for (IngestQueue.Op op : sent) {
                q.add(op);
            }
            assertThat(q.spilling()).isTrue();
            assertThat(q.points()).isEqualTo(500);
            assertThat(q.spilledPoints()).isEqualTo(400);
            assertThat(q.events()).isEqualTo(2);
            assertThat(file).exists();

            assertThat(drain(q)).isEqualTo(sent);
            assertThat(q.points()).isZero();
            assertThat(q.spilling()).isFalse();
            assertThat(file).doesNotExist();
        }
    }

    @Test
    void keepsArrivalOrderWhenPointsArriveWhileTheSpillIsReadBack() {
        try (IngestQueue q = new IngestQueue(20, dir.resolve("q.spill"))) {
            List<IngestQueue.Op> sent = new ArrayList<>();
            List<IngestQueue.Op> got = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                IngestQueue.Op op = points("r" + (i % 3), i, 1 + i % 7);
                sent.add(op);
                q.add(op);
                if (i % 3 == 0) {
                    got.add(q.peek());
                    q.remove(1);
                }
            }
            got.addAll(drain(q));
            assertThat(got).isEqualTo(sent);
        }
    }

    @Test
    void mergesConsecutivePointsUpToTheBatchSizeButNotPastARunEvent() {
        try (IngestQueue q = new IngestQueue(1000, dir.resolve("q.spill"))) {
            q.add(points("r", 0, 10));
            q.add(points("r", 10, 10));
            q.add(points("r", 20, 10));
            q.add(END);
            q.add(points("r", 30, 10));
            assertThat(q.peekPoints(25)).hasSize(2);
            assertThat(q.peekPoints(1)).hasSize(1);
            assertThat(q.peekPoints(100)).hasSize(3);
            q.remove(3);
            assertThat(q.peekPoints(100)).isEmpty();
            assertThat(q.peek()).isEqualTo(END);
        }
    }

    @Test
    void keepsEverythingOnDiskForALaterStart() throws IOException {
        Path file = dir.resolve("q.spill");
        List<IngestQueue.Op> sent = new ArrayList<>();
        sent.add(START);
        for (int i = 0; i < 30; i++) {
            sent.add(points("r", i * 10, 10));
        }
        sent.add(END);
        IngestQueue q = new IngestQueue(100, file);
        sent.forEach(q::add);
        q.peek();
        assertThat(q.keepOnDisk()).isEqualTo(300);
        assertThat(IngestQueue.readAll(file)).isEqualTo(sent);
        assertThat(Files.list(dir)).containsExactly(file);
    }

    @Test
    void spillsWarningsAndArtifactsInArrivalOrderAndKeepsThemForALaterStart() throws IOException {
        Path file = dir.resolve("q.spill");
        List<IngestQueue.Op> sent = new ArrayList<>();
        sent.add(START);
        sent.add(WARNING);
        for (int i = 0; i < 20; i++) {
            sent.add(points("r", i * 10, 10));
            if (i % 5 == 4) {
                sent.add(ARTIFACT);
            }
        }
        sent.add(WARNING);
        sent.add(END);
        try (IngestQueue q = new IngestQueue(50, file)) {
            sent.forEach(q::add);
            assertThat(q.spilling()).isTrue();
            assertThat(q.events()).isEqualTo(8);
            assertThat(drain(q)).isEqualTo(sent);
        }
        IngestQueue kept = new IngestQueue(50, file);
        sent.forEach(kept::add);
        assertThat(kept.keepOnDisk()).isEqualTo(200);
        assertThat(IngestQueue.readAll(file)).isEqualTo(sent);
    }

    @Test
    void spillsSweepAndEnsembleRecordsAndReadsThemBack() throws IOException {
        Path file = dir.resolve("r.spill");
        List<IngestQueue.Op> sent = List.of(new IngestQueue.Recorded(new dev.cnnworkbench.core.bus.SweepDefined("s",
                        "{}", "grid", "val_accuracy", "max", 1, 1, 1L, Map.of("a", "{\"choice\":[1,2]}"), null, 0, null,
                        List.of(new dev.cnnworkbench.core.bus.SweepDefined.PlannedTrial(1, "{\"a\":1}")), "u", 1L)),
                START, new IngestQueue.Recorded(new dev.cnnworkbench.core.bus.RungJudged("s", 1, 1, 0.5, Double.NaN, 1, 1,
                        true, "too few", 2L)), END);
        IngestQueue kept = new IngestQueue(1, file);
        sent.forEach(kept::add);
        kept.keepOnDisk();
        List<IngestQueue.Op> back = IngestQueue.readAll(file);
        assertThat(back).hasSize(4);
        assertThat(back.get(0)).isEqualTo(sent.get(0));
        assertThat(((IngestQueue.Recorded) back.get(2)).event().toString()).isEqualTo(((IngestQueue.Recorded) sent.get(2)).event().toString());
    }

    @Test
    void spillsRunEventsBeyondTheBoundToo() {
        Path file = dir.resolve("q.spill");
        try (IngestQueue q = new IngestQueue(10, file)) {
            for (int i = 0; i < 30; i++) {
                q.add(WARNING);
            }
            assertThat(q.spilling()).as("no more than the bound of run events in memory").isTrue();
            assertThat(q.events()).isEqualTo(30);
            assertThat(drain(q)).hasSize(30).containsOnly(WARNING);
        }
    }

    /** A spill file of the format before warnings and artifacts (types 1 to 3), written byte by byte. */
    @Test
    void readsASpillFileOfTheEarlierFormat() throws IOException {
        Path file = dir.resolve("old.spill");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            byte[] end = "{\"runId\":\"r\",\"status\":\"FINISHED\",\"error\":null,\"endedAt\":3}".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8);
            out.writeByte(2);
            out.writeUTF("r");
            out.writeInt(1);
            out.writeUTF("loss");
            out.writeLong(7);
            out.writeInt(0);
            out.writeLong(7);
            out.writeDouble(Double.NaN);
            out.writeByte(3);
            out.writeInt(end.length + 4);
            out.writeInt(end.length);
            out.write(end);
        }
        List<IngestQueue.Op> ops = IngestQueue.readAll(file);
        assertThat(ops).hasSize(2);
        assertThat(ops.get(0)).isEqualTo(points("r", 7, 1));
        assertThat(ops.get(1)).isEqualTo(END);
    }

    @Test
    void refusesAFileWithATypeItDoesNotKnow() throws IOException {
        Path file = dir.resolve("new.spill");
        Files.write(file, new byte[] {99, 0, 0, 0, 0});
        assertThatThrownBy(() -> IngestQueue.readAll(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown type 99");
    }
}
