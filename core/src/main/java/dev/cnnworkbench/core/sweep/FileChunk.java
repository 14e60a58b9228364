package dev.cnnworkbench.core.sweep;

/**
 * A part of one of a run's files ({@link WorkAddresses#FILE_PUT}, or the answer to a {@link FileRead}).
 *
 * @param runId  the run
 * @param name   the file's name in the run's artifact folder, e.g. {@code checkpoint-epoch-002.zip}
 * @param offset where {@code data} starts in the file
 * @param data   the bytes (at most {@link #MAX_BYTES})
 * @param size   the whole file's size
 * @param sha256 the whole file's SHA-256, lower-case hex: set on the last part (whose end is {@code size})
 */
public record FileChunk(String runId, String name, long offset, byte[] data, long size, String sha256) {

    /** The largest part sent in one message. */
    public static final int MAX_BYTES = 1 << 20;

    public boolean last() {
        return offset + data.length >= size;
    }
}
