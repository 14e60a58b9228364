package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.EnsembleRecorded;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.RungJudged;
import dev.cnnworkbench.core.bus.SweepDefined;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RecordCodec;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunWarning;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the storage verticle has received and not yet written, in arrival order: run starts, metric
 * points, run warnings, run artifacts and run ends. Holds up to a bound of points (and as many run events)
 * in memory; past the bound, everything that arrives is appended to a spill file (so the order holds) until
 * the memory queue has drained and the file has been read back. Nothing is dropped. Confined to one thread
 * (the verticle's).
 *
 * <p>Spill file format: one record per op, a type byte then its body. {@code 1} start, {@code 3} end,
 * {@code 4} warning, {@code 5} artifact: an int length, then the bus record as its {@link RecordCodec} wire form
 * (an int length and JSON); likewise {@code 6} sweep defined, {@code 7} rung judged, {@code 8} ensemble recorded.
 * {@code 2} points: the run id (modified UTF-8), an int count, then per point its name,
 * long step, int epoch, long time and double value. Types are only ever added, never changed or reused, so a
 * file written by an older version reads as it was written (files from before warnings and artifacts hold types
 * 1 to 3 only); a type this version does not know fails the read, and the file is kept.
 */
final class IngestQueue implements AutoCloseable {

    /** One thing to write. */
    sealed interface Op permits Start, Points, End, Warning, Artifact, Recorded {
        /** Metric points it carries. */
        default int points() {
            return 0;
        }

        /** The bus record it carries (points as one {@link MetricBatch}), for the writer and for reports. */
        Record event();
    }

    record Start(RunStarted run) implements Op {
        @Override
        public Record event() {
            return run;
        }
    }

    record Points(String runId, List<MetricPoint> list) implements Op {
        @Override
        public int points() {
            return list.size();
        }

        @Override
        public Record event() {
            return new MetricBatch(runId, list);
        }
    }

    record End(RunEnded end) implements Op {
        @Override
        public Record event() {
            return end;
        }
    }

    record Warning(RunWarning warning) implements Op {
        @Override
        public Record event() {
            return warning;
        }
    }

    record Artifact(RunArtifact artifact) implements Op {
        @Override
        public Record event() {
            return artifact;
        }
    }

    /** A sweep or ensemble record: {@link SweepDefined}, {@link RungJudged} or {@link EnsembleRecorded}. */
    record Recorded(Record event) implements Op {
        Recorded {
            if (!RECORDS.containsKey(event.getClass())) {
                throw new IllegalArgumentException("not a sweep or ensemble record: " + event);
            }
        }
    }

    private static final byte START = 1;
    private static final byte POINTS = 2;
    private static final byte END = 3;
    private static final byte WARNING = 4;
    private static final byte ARTIFACT = 5;
    private static final RecordCodec<RunStarted> STARTED = new RecordCodec<>(RunStarted.class);
    private static final RecordCodec<RunEnded> ENDED = new RecordCodec<>(RunEnded.class);
    private static final RecordCodec<RunWarning> WARNED = new RecordCodec<>(RunWarning.class);
    private static final RecordCodec<RunArtifact> ARTIFACTS = new RecordCodec<>(RunArtifact.class);
    /** The record types of {@link Recorded}, by their type byte (6 sweep defined, 7 rung judged, 8 ensemble). */
    private static final Map<Class<?>, Byte> RECORDS = Map.of(SweepDefined.class, (byte) 6, RungJudged.class, (byte) 7,
            EnsembleRecorded.class, (byte) 8);
    private static final Map<Byte, RecordCodec<? extends Record>> RECORD_CODECS = Map.of((byte) 6,
            new RecordCodec<>(SweepDefined.class), (byte) 7, new RecordCodec<>(RungJudged.class), (byte) 8,
            new RecordCodec<>(EnsembleRecorded.class));

    private final int maxPoints;
    private final Path spillFile;
    private final ArrayDeque<Op> memory = new ArrayDeque<>();
    private long memoryPoints;
    private long memoryEvents;

    private DataOutputStream spillOut;
    private DataInputStream spillIn;
    private long spilledOps;
    private long readOps;
    private long spilledPoints;
    private long spilledEvents;

    /**
     * @param maxPoints points held in memory before spilling
     * @param spillFile where to spill; created when needed, deleted once read back
     */
    IngestQueue(int maxPoints, Path spillFile) {
        this.maxPoints = maxPoints;
        this.spillFile = spillFile;
    }

    /** Queues {@code op} behind everything queued before; returns true if it went to the spill file. */
    boolean add(Op op) {
        if (spillOut == null && memoryPoints + op.points() <= maxPoints && memoryEvents < maxPoints) {
            push(op);
            return false;
        }
        try {
            if (spillOut == null) {
                Files.createDirectories(spillFile.toAbsolutePath().getParent());
                spillOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spillFile), 1 << 16));
            }
            write(spillOut, op);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill metric points to " + spillFile + ": " + e.getMessage(), e);
        }
        spilledOps++;
        spilledPoints += op.points();
        spilledEvents += op.points() == 0 ? 1 : 0;
        return true;
    }

    /** The oldest queued op, reading back from the spill file when memory is empty; null when none. */
    Op peek() {
        if (memory.isEmpty()) {
            refill();
        }
        return memory.peekFirst();
    }

    /**
     * The points of the consecutive points ops at the head, up to {@code max} points (at least one op).
     * Empty when the head is not a points op.
     */
    List<Points> peekPoints(int max) {
        if (memory.isEmpty()) {
            refill();
        }
        List<Points> out = new ArrayList<>();
        int n = 0;
        for (Op op : memory) {
            if (!(op instanceof Points p) || (!out.isEmpty() && n + p.points() > max)) {
                break;
            }
            out.add(p);
            n += p.points();
        }
        return out;
    }

    /** Removes the {@code n} oldest ops, which a caller has written. */
    void remove(int n) {
        for (int i = 0; i < n; i++) {
            Op op = memory.removeFirst();
            memoryPoints -= op.points();
            memoryEvents -= op.points() == 0 ? 1 : 0;
        }
        if (memory.isEmpty()) {
            refill();
        }
    }

    boolean isEmpty() {
        return memory.isEmpty() && readOps == spilledOps;
    }

    /** Points waiting, in memory and spilled. */
    long points() {
        return memoryPoints + spilledPoints;
    }

    /** Run starts, ends, warnings and artifacts waiting. */
    long events() {
        return memoryEvents + spilledEvents;
    }

    /** Points waiting in the spill file. */
    long spilledPoints() {
        return spilledPoints;
    }

    boolean spilling() {
        return spillOut != null;
    }

    Path spillFile() {
        return spillFile;
    }

    /** Moves ops from the spill file to memory, up to half the bound; ends the spill once all is read. */
    private void refill() {
        if (spillOut == null) {
            return;
        }
        try {
            if (readOps < spilledOps) {
                spillOut.flush();
                if (spillIn == null) {
                    spillIn = new DataInputStream(new BufferedInputStream(Files.newInputStream(spillFile), 1 << 16));
                }
                while (readOps < spilledOps && (memory.isEmpty()
                        || (memoryPoints < maxPoints / 2 && memoryEvents < maxPoints / 2))) {
                    Op op = read(spillIn, spillIn.readByte());
                    readOps++;
                    spilledPoints -= op.points();
                    spilledEvents -= op.points() == 0 ? 1 : 0;
                    push(op);
                }
            }
            if (readOps == spilledOps && memory.isEmpty()) {
                close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back the spill file " + spillFile + ": " + e.getMessage(), e);
        }
    }

    private void push(Op op) {
        memory.addLast(op);
        memoryPoints += op.points();
        memoryEvents += op.points() == 0 ? 1 : 0;
    }

    /**
     * Writes everything still queued to the spill file and closes it, keeping the file: for a process
     * that stops while the database is away. Returns the points kept.
     */
    long keepOnDisk() throws IOException {
        long kept = points();
        if (isEmpty()) {
            return 0;
        }
        Path rest = spillFile.resolveSibling(spillFile.getFileName() + ".rest");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(rest)))) {
            while (!isEmpty()) {
                write(out, peek());
                memory.removeFirst();
                if (memory.isEmpty()) {
                    refill();
                }
            }
        }
        close();
        Files.move(rest, spillFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        memoryPoints = 0;
        memoryEvents = 0;
        return kept;
    }

    /** Reads every op of a spill file, in order (for replaying a file left by a stopped process). */
    static List<Op> readAll(Path file) throws IOException {
        List<Op> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (int type = in.read(); type >= 0; type = in.read()) {
                out.add(read(in, (byte) type));
            }
        }
        return out;
    }

    /** Closes and deletes the spill file once it is read back. */
    @Override
    public void close() {
        try {
            if (spillOut != null) {
                spillOut.close();
            }
            if (spillIn != null) {
                spillIn.close();
            }
            if (spillOut != null && readOps == spilledOps) {
                Files.deleteIfExists(spillFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            spillOut = null;
            spillIn = null;
            spilledOps = 0;
            readOps = 0;
            spilledPoints = 0;
            spilledEvents = 0;
        }
    }

    static void write(DataOutputStream out, Op op) throws IOException {
        if (op instanceof Start s) {
            out.writeByte(START);
            record(out, buffer -> STARTED.encodeToWire(buffer, s.run()));
        } else if (op instanceof End e) {
            out.writeByte(END);
            record(out, buffer -> ENDED.encodeToWire(buffer, e.end()));
        } else if (op instanceof Warning w) {
            out.writeByte(WARNING);
            record(out, buffer -> WARNED.encodeToWire(buffer, w.warning()));
        } else if (op instanceof Artifact a) {
            out.writeByte(ARTIFACT);
            record(out, buffer -> ARTIFACTS.encodeToWire(buffer, a.artifact()));
        } else if (op instanceof Recorded r) {
            byte type = RECORDS.get(r.event().getClass());
            out.writeByte(type);
            record(out, buffer -> encode(RECORD_CODECS.get(type), buffer, r.event()));
        } else {
            Points p = (Points) op;
            out.writeByte(POINTS);
            out.writeUTF(p.runId());
            out.writeInt(p.list().size());
            for (MetricPoint m : p.list()) {
                out.writeUTF(m.name());
                out.writeLong(m.step());
                out.writeInt(m.epoch());
                out.writeLong(m.time());
                out.writeDouble(m.value());
            }
        }
    }

    private interface Encoder {
        void encode(Buffer buffer);
    }

    private static void record(DataOutputStream out, Encoder encoder) throws IOException {
        Buffer buffer = Buffer.buffer();
        encoder.encode(buffer);
        out.writeInt(buffer.length());
        out.write(buffer.getBytes());
    }

    static Op read(DataInputStream in, byte type) throws IOException {
        switch (type) {
            case START -> {
                return new Start(STARTED.decodeFromWire(0, Buffer.buffer(bytes(in))));
            }
            case END -> {
                return new End(ENDED.decodeFromWire(0, Buffer.buffer(bytes(in))));
            }
            case WARNING -> {
                return new Warning(WARNED.decodeFromWire(0, Buffer.buffer(bytes(in))));
            }
            case ARTIFACT -> {
                return new Artifact(ARTIFACTS.decodeFromWire(0, Buffer.buffer(bytes(in))));
            }
            case POINTS -> {
                String runId = in.readUTF();
                int n = in.readInt();
                List<MetricPoint> points = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    points.add(new MetricPoint(in.readUTF(), in.readLong(), in.readInt(), in.readLong(), in.readDouble()));
                }
                return new Points(runId, points);
            }
            case 6, 7, 8 -> {
                return new Recorded(RECORD_CODECS.get(type).decodeFromWire(0, Buffer.buffer(bytes(in))));
            }
            default -> throw new IOException("spill file record of unknown type " + type
                    + " (written by a newer workbench?)");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Record> void encode(RecordCodec<T> codec, Buffer buffer, Record event) {
        codec.encodeToWire(buffer, (T) event);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
