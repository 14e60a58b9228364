package dev.cnnworkbench.core.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Decoded images as unsigned bytes, one row of {@code channels * height * width} values per image, channel-first:
 * on the heap, or memory-mapped from a file of the {@link DataCache} (so the operating system pages them in and
 * out and the Java heap does not grow with the data set). Rows are split over buffers of at most 1 GiB, so a file
 * may be larger than one mapping allows.
 *
 * <p>Threads: rows are written by the builder (several threads may write different rows) before the store is
 * shared; afterwards any thread may read.
 */
public final class ImageStore {

    private static final long CHUNK_BYTES = 1L << 30;

    private final ByteBuffer[] chunks;
    private final int rowsPerChunk;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;

    private ImageStore(ByteBuffer[] chunks, int rowsPerChunk, int count, int channels, int height, int width) {
        this.chunks = chunks;
        this.rowsPerChunk = rowsPerChunk;
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** An empty store of {@code count} rows on the heap. */
    public static ImageStore onHeap(int count, int channels, int height, int width) {
        int rowBytes = channels * height * width;
        int perChunk = rowsPerChunk(rowBytes);
        ByteBuffer[] chunks = new ByteBuffer[Math.max(1, (count + perChunk - 1) / perChunk)];
        for (int i = 0; i < chunks.length; i++) {
            int rows = Math.min(perChunk, count - i * perChunk);
            chunks[i] = ByteBuffer.allocate(Math.max(0, rows) * rowBytes);
        }
        return new ImageStore(chunks, perChunk, count, channels, height, width);
    }

    /**
     * The store in {@code file}, memory-mapped: {@code writable} creates (or truncates) the file at its full size for
     * a builder to fill; otherwise the file must already hold every row.
     */
    public static ImageStore mapped(Path file, boolean writable, int count, int channels, int height, int width) {
        int rowBytes = channels * height * width;
        int perChunk = rowsPerChunk(rowBytes);
        long total = (long) count * rowBytes;
        try (FileChannel ch = writable
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)
                : FileChannel.open(file, StandardOpenOption.READ)) {
            if (!writable && ch.size() != total) {
                throw new DataException("cache file " + file + " holds " + ch.size() + " bytes, expected " + total
                        + "; delete it and it is rebuilt");
            }
            ByteBuffer[] chunks = new ByteBuffer[Math.max(1, (count + perChunk - 1) / perChunk)];
            for (int i = 0; i < chunks.length; i++) {
                long from = (long) i * perChunk * rowBytes;
                long size = Math.max(0, Math.min((long) perChunk * rowBytes, total - from));
                chunks[i] = ch.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, from, size);
            }
            return new ImageStore(chunks, perChunk, count, channels, height, width);
        } catch (IOException e) {
            throw new DataException("cannot map cache file " + file + ": " + e.getMessage(), e);
        }
    }

    private static int rowsPerChunk(int rowBytes) {
        return (int) Math.max(1, CHUNK_BYTES / Math.max(1, rowBytes));
    }

    /** Stores {@code image} ({@link #rowBytes()} values) as row {@code row}. */
    public void put(int row, byte[] image) {
        chunks[row / rowsPerChunk].put((row % rowsPerChunk) * rowBytes(), image, 0, rowBytes());
    }

    /** Reads row {@code row} into {@code dst} ({@link #rowBytes()} values). */
    public void get(int row, byte[] dst) {
        chunks[row / rowsPerChunk].get((row % rowsPerChunk) * rowBytes(), dst, 0, rowBytes());
    }

    /** Writes row {@code row} as floats through {@code normalization} into {@code dst} at {@code offset}. */
    public void copy(int row, float[] dst, int offset, Normalization normalization) {
        ByteBuffer chunk = chunks[row / rowsPerChunk];
        int base = (row % rowsPerChunk) * rowBytes();
        int plane = height * width;
        for (int c = 0, i = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++, i++) {
                dst[offset + i] = normalization.apply(chunk.get(base + i) & 0xff, c);
            }
        }
    }

    /** Flushes a mapped store's rows to its file (a no-op on the heap). */
    void force() {
        for (ByteBuffer b : chunks) {
            if (b instanceof java.nio.MappedByteBuffer m && !m.isReadOnly()) {
                m.force();
            }
        }
    }

    public int count() {
        return count;
    }

    public int rowBytes() {
        return channels * height * width;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }
}
