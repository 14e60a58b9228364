package dev.cnnworkbench.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST family's format) of unsigned bytes, gzip-compressed or plain: a magic
 * number {@code 0x0000 08 D} (D dimensions), D big-endian sizes, then the bytes.
 *
 * @param dims the sizes, outermost first ({@code [n, 28, 28]} for images, {@code [n]} for labels)
 * @param data the bytes, row-major, as unsigned values 0..255 stored in Java bytes
 */
public record IdxFile(int[] dims, byte[] data) {

    private static final int UNSIGNED_BYTE = 0x08;

    /** Reads {@code file}; any problem is a {@link DataException} naming the file and what is wrong. */
    public static IdxFile read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             DataInputStream in = new DataInputStream(maybeGunzip(raw))) {
            int magic = in.readInt();
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank < 1 || rank > 4) {
                throw new DataException(file + " is not an IDX file of unsigned bytes (magic 0x"
                        + Integer.toHexString(magic) + ")");
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) {
                    throw new DataException(file + " declares a negative size " + dims[i]);
                }
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new DataException(file + " declares " + total + " values, more than fit in memory");
            }
            byte[] data = new byte[(int) total];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                throw new DataException(file + " is truncated: its header declares " + total
                        + " values but the file ends early");
            }
            return new IdxFile(dims, data);
        } catch (NoSuchFileException e) {
            throw new DataException(file + " not found");
        } catch (EOFException e) {
            throw new DataException(file + " is truncated (it ends inside its header)");
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** How many items (the outermost size). */
    public int count() {
        return dims[0];
    }
}
