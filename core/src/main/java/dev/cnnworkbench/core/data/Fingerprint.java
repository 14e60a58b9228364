package dev.cnnworkbench.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /** The fingerprint of {@code files} under {@code root}, as 64 hex digits. */
    public static String of(Path root, List<Path> files) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        Path base = root.toAbsolutePath().normalize();
        for (Path file : files) {
            Path abs = file.toAbsolutePath().normalize();
            String rel = (abs.startsWith(base) ? base.relativize(abs) : abs).toString().replace('\\', '/');
            try (InputStream in = Files.newInputStream(abs)) {
                digest.update(rel.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Long.toString(Files.size(abs)).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
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
