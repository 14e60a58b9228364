package dev.cnnworkbench.core.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's console output kept with it: {@code RUN_DIR/console.log}, one time-stamped line per event (epochs, a progress
 * line at most once a second, epoch results, phases, warnings, the end and its error), written and flushed as the run
 * goes so the dashboard can tail it. It passes every progress call on to the progress it wraps (the terminal's) and
 * every sink call on to the sink it wraps. Appends, so a resumed run continues its log. Lines are written under a
 * lock: the end may come from a shutdown hook while the training thread logs.
 */
public final class ConsoleLog implements TrainingProgress, AutoCloseable {

    /** The file's name in the run's artifact folder. */
    public static final String NAME = "console.log";
    public static final String MEDIA_TYPE = "text/plain";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    private final Path file;
    private final TrainingProgress shown;
    private Writer out;
    private int epoch;
    private int epochs;
    private int batches;
    private long lastProgress;

    private ConsoleLog(Path file, Writer out, TrainingProgress shown) {
        this.file = file;
        this.out = out;
        this.shown = shown;
    }

    /** Opens (appending) {@code runDir/console.log}; {@code shown} is the progress a person watches as well. */
    public static ConsoleLog open(Path runDir, TrainingProgress shown) {
        Path file = runDir.resolve(NAME);
        try {
            Files.createDirectories(runDir);
            return new ConsoleLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND), shown);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's console log " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Appends one line, time-stamped; ignored once closed. A full disk never stops the run: the line is lost. */
    public synchronized void line(String text) {
        if (out == null) {
            return;
        }
        try {
            out.write(LocalTime.now().format(TIME) + "  " + text + "\n");
            out.flush();
        } catch (IOException e) {
            // the log is a convenience; training goes on without it
        }
    }

    /** The sink {@code sink}, with its warnings also written to this log. */
    public MetricSink logging(MetricSink sink) {
        return new MetricSink() {
            @Override
            public void record(List<dev.cnnworkbench.core.bus.MetricPoint> points) {
                sink.record(points);
            }

            @Override
            public void warn(String kind, long step, String message) {
                line("WARNING " + kind + " at step " + step + ": " + message);
                sink.warn(kind, step, message);
            }

            @Override
            public void artifact(String kind, String name, Path f, String mediaType, long step, int epochNo) {
                sink.artifact(kind, name, f, mediaType, step, epochNo);
            }

            @Override
            public void flush() {
                sink.flush();
            }

            @Override
            public void ensemble(java.util.function.Function<String, dev.cnnworkbench.core.bus.EnsembleRecorded> ofRun) {
                sink.ensemble(ofRun);
            }
        };
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.batches = batches;
        this.lastProgress = System.nanoTime();
        line(String.format(Locale.ROOT, "epoch %d/%d: %d batches", epoch + 1, epochs, batches));
        shown.epochStarted(epoch, epochs, batches);
    }

    @Override
    public void batchDone(int batch, double loss, double examplesPerSecond) {
        long now = System.nanoTime();
        if (now - lastProgress >= PROGRESS_EVERY_NANOS || batch == batches) {
            lastProgress = now;
            line(String.format(Locale.ROOT, "epoch %d/%d batch %d/%d  loss %.4f  %.0f examples/s", epoch + 1, epochs,
                    batch, batches, loss, examplesPerSecond));
        }
        shown.batchDone(batch, loss, examplesPerSecond);
    }

    @Override
    public void epochEnded(int epoch, Map<String, Double> metrics) {
        StringBuilder text = new StringBuilder("epoch " + (epoch + 1) + " done:");
        new TreeMap<>(metrics).forEach((k, v) -> text.append(String.format(Locale.ROOT, "  %s %.4g", k, v)));
        line(text.toString());
        shown.epochEnded(epoch, metrics);
    }

    @Override
    public void phase(String description) {
        line(description);
        shown.phase(description);
    }

    @Override
    public void recorded() {
        shown.recorded();
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // nothing more to write
            }
            out = null;
        }
    }
}
