package dev.cnnworkbench.core.data;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Decoded images as unsigned bytes, one row of {@code channels * height * width} values per image, channel-first:
 * on the heap, or in a file of the {@link DataCache}. A file-backed store holds no rows in memory: each row is read
 * (and, while the cache is built, written) with a positional read through the operating system's page cache into a
 * buffer of one row, so neither the Java heap nor the process's resident memory grows with the data set. (A memory
 * mapping would page the whole file into the process as it is read, counted in its resident memory, and Java cannot
 * unmap or {@code madvise} it.) Heap rows are split over buffers of at most 1 GiB.
 *
 * <p>Threads: rows are written by the builder (several threads may write different rows) before the store is
 * shared; afterwards any thread may read. File access is serialised on the file (a seek and a read of one row), and
 * is not interruptible, so a reader interrupted mid-read (a batch pipeline being closed) cannot close the file for
 * the others, as an interrupted {@code FileChannel} would.
 */
public final class ImageStore implements AutoCloseable {

    private static final long CHUNK_BYTES = 1L << 30;

    private final ByteBuffer[] chunks;
    private final RandomAccessFile file;
    private final Path path;
    private final ThreadLocal<byte[]> rowBuffer;
    private final int rowsPerChunk;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;

    private ImageStore(ByteBuffer[] chunks, RandomAccessFile file, Path path, int count, int channels, int height,
                       int width) {
        this.chunks = chunks;
        this.file = file;
        this.path = path;
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.rowsPerChunk = rowsPerChunk(channels * height * width);
        this.rowBuffer = ThreadLocal.withInitial(() -> new byte[rowBytes()]);
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
        return new ImageStore(chunks, null, null, count, channels, height, width);
    }

    /**
     * The store in {@code file}: {@code writable} creates (or truncates) the file at its full size for a builder to
     * fill; otherwise the file must already hold every row. The file stays open until {@link #close}.
     */
    public static ImageStore inFile(Path file, boolean writable, int count, int channels, int height, int width) {
        long total = (long) count * channels * height * width;
        RandomAccessFile raf = null;
        try {
            raf = new RandomAccessFile(file.toFile(), writable ? "rw" : "r");
            if (writable) {
                raf.setLength(0);
                raf.setLength(total);
            } else if (raf.length() != total) {
                throw new DataException("cache file " + file + " holds " + raf.length() + " bytes, expected " + total
                        + "; delete it and it is rebuilt");
            }
            return new ImageStore(null, raf, file, count, channels, height, width);
        } catch (IOException e) {
            closeQuietly(raf);
            throw new DataException("cannot open cache file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(raf);
            throw e;
        }
    }

    private static void closeQuietly(RandomAccessFile raf) {
        if (raf != null) {
            try {
                raf.close();
            } catch (IOException ignored) {
                // the open already failed; that is the error worth reporting
            }
        }
    }

    private static int rowsPerChunk(int rowBytes) {
        return (int) Math.max(1, CHUNK_BYTES / Math.max(1, rowBytes));
    }

    /** Stores {@code image} ({@link #rowBytes()} values) as row {@code row}. */
    public void put(int row, byte[] image) {
        if (file == null) {
            chunks[row / rowsPerChunk].put((row % rowsPerChunk) * rowBytes(), image, 0, rowBytes());
            return;
        }
        try {
            synchronized (file) {
                file.seek((long) row * rowBytes());
                file.write(image, 0, rowBytes());
            }
        } catch (IOException e) {
            throw new DataException("cannot write cache file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads row {@code row} into {@code dst} ({@link #rowBytes()} values). */
    public void get(int row, byte[] dst) {
        if (file == null) {
            chunks[row / rowsPerChunk].get((row % rowsPerChunk) * rowBytes(), dst, 0, rowBytes());
            return;
        }
        try {
            synchronized (file) {
                file.seek((long) row * rowBytes());
                file.readFully(dst, 0, rowBytes());
            }
        } catch (IOException e) {
            throw new DataException("cannot read cache file " + path + " (row " + row + "): " + e.getMessage()
                    + "; delete its folder and it is rebuilt", e);
        }
    }

    /** Writes row {@code row} as floats through {@code normalization} into {@code dst} at {@code offset}. */
    public void copy(int row, float[] dst, int offset, Normalization normalization) {
        byte[] bytes = rowBuffer.get();
        get(row, bytes);
        int plane = height * width;
        for (int c = 0, i = 0; c < channels; c++) {
            for (int p = 0; p < plane; p++, i++) {
                dst[offset + i] = normalization.apply(bytes[i] & 0xff, c);
            }
        }
    }

    /** Flushes a file-backed store's rows to its disk (a no-op on the heap). */
    void force() {
        if (file != null) {
            try {
                file.getFD().sync();
            } catch (IOException e) {
                throw new DataException("cannot write cache file " + path + ": " + e.getMessage(), e);
            }
        }
    }

    /** Closes a file-backed store's file (a no-op on the heap); it cannot be read afterwards. */
    @Override
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // nothing was pending: rows are written through as they are put
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
