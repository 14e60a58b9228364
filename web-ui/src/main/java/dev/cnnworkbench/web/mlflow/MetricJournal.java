package dev.cnnworkbench.web.mlflow;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The write-ahead journal of the metrics MLflow clients log, so that a log-metric is durable when it is answered
 * without a database transaction per call: each call's points are appended to a segment file next to the database
 * file (one write, no fsync: the same promise as the database's own commit with {@code WRITE_DELAY=0}, which survives
 * the process being killed but not a power cut) before they are published to the storage. A segment is
 * {@linkplain #rotate() closed} before the storage is asked to flush, and {@linkplain #delete deleted} once that flush
 * confirms that everything published before it is committed. Segments left by a process that died are
 * {@linkplain #leftovers() found} by the next start, which writes the points the database does not have yet.
 *
 * <p>Format: UTF-8 lines {@code runId TAB step TAB epoch TAB time TAB valueBitsHex TAB name}, after a header line;
 * a last line without its newline was never acknowledged and is ignored. MLflow's keys hold no tab or newline.
 * Thread-safe.
 */
final class MetricJournal implements AutoCloseable {

    static final String PREFIX = "mlflow-journal-";
    private static final String HEADER = "workbench mlflow metric journal 1\n";

    private final Path dir;
    private final long pid = ProcessHandle.current().pid();
    private final List<Path> closed = new ArrayList<>();
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();
    private Path current;
    private FileChannel channel;

    /** A journal writing segments into {@code dir} (created if missing); nothing is opened before the first append. */
    MetricJournal(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** Appends the points in one write; when this returns, they survive the process being killed. */
    synchronized void append(String runId, List<MetricPoint> points) throws IOException {
        StringBuilder text = new StringBuilder(points.size() * 80);
        for (MetricPoint p : points) {
            text.append(runId).append('\t').append(p.step()).append('\t').append(p.epoch()).append('\t').append(p.time())
                    .append('\t').append(Long.toHexString(Double.doubleToRawLongBits(p.value()))).append('\t')
                    .append(p.name()).append('\n');
        }
        if (channel == null) {
            Files.createDirectories(dir);
            current = dir.resolve(PREFIX + pid + "-" + System.currentTimeMillis() + "-" + SEQUENCE.getAndIncrement() + ".log");
            channel = FileChannel.open(current, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            text.insert(0, HEADER);
        }
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Closes the segment being written (the next append starts another) and returns every closed segment not yet
     * deleted; empty when nothing was written since the last rotation and none is waiting.
     */
    synchronized List<Path> rotate() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
            closed.add(current);
        }
        return List.copyOf(closed);
    }

    /** Deletes closed segments whose points the database has committed. */
    synchronized void delete(List<Path> segments) throws IOException {
        for (Path p : segments) {
            Files.deleteIfExists(p);
            closed.remove(p);
        }
    }

    /** Segments in the folder that no live process is writing: left by a process that died (or by an earlier start). */
    List<Path> leftovers() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        synchronized (this) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*.log")) {
                for (Path f : files) {
                    if (!f.equals(current) && !closed.contains(f) && !ownedByLiveProcess(f)) {
                        out.add(f);
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }

    private boolean ownedByLiveProcess(Path file) {
        String rest = file.getFileName().toString().substring(PREFIX.length());
        try {
            long owner = Long.parseLong(rest.substring(0, rest.indexOf('-')));
            return owner != pid && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The complete lines of a segment, by run, in order; a torn last line (never acknowledged) is skipped. */
    static Map<String, List<MetricPoint>> read(Path segment) throws IOException {
        String text = Files.readString(segment, StandardCharsets.UTF_8);
        if (!text.startsWith(HEADER)) {
            throw new IOException(segment + " is not a metric journal (its first line is not '" + HEADER.strip() + "')");
        }
        Map<String, List<MetricPoint>> byRun = new LinkedHashMap<>();
        int at = HEADER.length();
        for (int end; (end = text.indexOf('\n', at)) >= 0; at = end + 1) {
            String[] f = text.substring(at, end).split("\t", 6);
            if (f.length != 6) {
                throw new IOException(segment + ": line '" + text.substring(at, end) + "' has " + f.length
                        + " fields, expected 6");
            }
            byRun.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new MetricPoint(f[5], Long.parseLong(f[1]),
                    Integer.parseInt(f[2]), Long.parseLong(f[3]), Double.longBitsToDouble(Long.parseUnsignedLong(f[4], 16))));
        }
        return byRun;
    }

    /** Closes the segment being written; segments not confirmed committed stay for the next start. */
    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
