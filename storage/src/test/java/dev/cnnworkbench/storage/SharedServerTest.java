package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStarted;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several clients writing to one H2 TCP server, as a team does. */
class SharedServerTest {

    private static final int WRITERS = 16;
    private static final int POINTS = 10_000;

    @TempDir
    Path dir;

    @Test
    void twoClientsWithSixteenWritersStoreEveryPointExactlyOnce() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/team";
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try (Database first = Database.open(url, "sa", ""); Database second = Database.open(url, "sa", "")) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                RunWriter writer = new RunWriter(w % 2 == 0 ? first : second);
                // Two writers share each run, each with its own metric.
                String run = "run" + (w / 2);
                String metric = "m" + (w % 2);
                done.add(pool.submit(() -> {
                    writer.insertRun(new RunStarted(run, run, "team", "{}", Map.of(), Map.of(), 0, 1, "h", "user" + run));
                    List<RunWriter.RunPoint> batch = new ArrayList<>();
                    for (long step = 0; step < POINTS; step++) {
                        batch.add(new RunWriter.RunPoint(run, new MetricPoint(metric, step, 0, step, step * 0.5)));
                        if (batch.size() == 500) {
                            writer.insertMetrics(batch);
                            batch = new ArrayList<>();
                        }
                    }
                    writer.insertMetrics(batch);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            RunQueries queries = new RunQueries(first);
            assertThat(queries.listRuns()).hasSize(WRITERS / 2);
            List<Long> expected = LongStream.range(0, POINTS).boxed().toList();
            for (int r = 0; r < WRITERS / 2; r++) {
                for (String metric : List.of("m0", "m1")) {
                    assertThat(queries.history("run" + r, metric)).extracting(MetricPoint::step).isEqualTo(expected);
                }
            }
        } finally {
            pool.shutdownNow();
            server.stop();
        }
    }
}
