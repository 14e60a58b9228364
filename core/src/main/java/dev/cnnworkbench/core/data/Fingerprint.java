package dev.cnnworkbench.core.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A data set's fingerprint: SHA-256 over each file's path relative to the data's root, its size and its content,
 * in the order given. The same files give the same fingerprint wherever the folder lives; renaming, resizing or
 * editing any file changes it. Stateless.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    /**
     * The fingerprint of {@code files} under {@code root}, as 64 hex digits. Reads each file through one reused
     * buffer: a few hundred bytes of garbage per file, so fingerprinting a large folder does not grow the heap.
     */
    public static String of(Path root, List<Path> files) {
        MessageDigest digest = sha256();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
        Path base = root.toAbsolutePath().normalize();
        String basePrefix = base.toString().endsWith("/") ? base.toString() : base + "/";
        for (Path file : files) {
            String abs = file.isAbsolute() && !file.toString().contains("/.") ? file.toString()
                    : file.toAbsolutePath().normalize().toString();
            String rel = abs.startsWith(basePrefix) ? abs.substring(basePrefix.length()) : abs;
            try (FileChannel in = FileChannel.open(file)) {
                digest.update(rel.replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Long.toString(in.size()).getBytes(StandardCharsets.ISO_8859_1));
                digest.update((byte) 0);
                buffer.clear();
                while (in.read(buffer) > 0) {
                    digest.update(buffer.flip());
                    buffer.clear();
                }
            } catch (IOException e) {
                throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 of {@code text}, as 64 hex digits. */
    static String ofText(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
