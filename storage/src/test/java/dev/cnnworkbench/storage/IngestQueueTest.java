package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
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
}
