package dev.cnnworkbench.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The one rule for artifact paths, kept by every side that touches them: the writer indexes only safe paths, the
 * ingest endpoint refuses others, and a server hands out only files that {@link #file} finds and that
 * {@link #checkIndexed} finds unchanged since they were indexed. A safe path is
 * relative to the home's {@code artifacts/} folder, '/'-separated, at most {@link #MAX_LENGTH} characters, with no
 * empty, {@code .} or {@code ..} segment, no backslash and no control character ({@code RUN_ID/model.zip}).
 * Stateless.
 */
public final class ArtifactPaths {

    /** The length of the index's path column. */
    public static final int MAX_LENGTH = 1024;

    private ArtifactPaths() {
    }

    /** Whether {@code path} is a safe artifact path (see the class comment). */
    public static boolean isSafe(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_LENGTH || path.indexOf('\\') >= 0
                || path.chars().anyMatch(Character::isISOControl)) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The regular file an indexed path names under {@code root} (the artifacts folder): the path resolved under the
     * root and normalized, then, symbolic links followed, still inside the root. Empty when no regular file is there
     * (missing, or a folder).
     *
     * @throws SecurityException when the path is not safe or leads out of the root, through a symbolic link or not
     * @throws IOException       when the file system cannot tell
     */
    public static Optional<Path> file(Path root, String path) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        if (!isSafe(path)) {
            throw new SecurityException("the artifact path '" + path + "' is not a relative path inside the artifacts folder");
        }
        Path file = base.resolve(path).normalize();
        if (!file.startsWith(base)) {
            throw new SecurityException("the artifact path '" + path + "' leads out of the artifacts folder");
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Path real = file.toRealPath();
        if (!real.startsWith(base.toRealPath())) {
            throw new SecurityException("the artifact path '" + path + "' leads out of the artifacts folder");
        }
        return Optional.of(real);
    }

    /**
     * Checks that {@code file} (as {@link #file} found it) is still the file the workbench indexed for {@code artifact}:
     * a regular file that is not a symbolic link, has exactly one name (a hard link to a file elsewhere, such as
     * {@code server.json}, has more), and has the indexed size and SHA-256. Reads the whole file: call it from a worker
     * thread.
     *
     * @throws SecurityException naming what differs, when it is not that file
     * @throws IOException       when the file cannot be read
     */
    public static void checkIndexed(Path file, StoredArtifact artifact) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new SecurityException("the file of artifact " + artifact.id() + " is no longer a regular file");
        }
        if (links(file) > 1) {
            throw new SecurityException("the file of artifact " + artifact.id() + " has other names (hard links)");
        }
        if (attributes.size() != artifact.sizeBytes()) {
            throw new SecurityException("the file of artifact " + artifact.id() + " has " + attributes.size()
                    + " bytes, not the " + artifact.sizeBytes() + " indexed");
        }
        if (!sha256(file).equalsIgnoreCase(artifact.sha256())) {
            throw new SecurityException("the file of artifact " + artifact.id() + " does not have the indexed SHA-256");
        }
    }

    /** How many names the file has; 1 where the file system cannot tell. */
    private static int links(Path file) throws IOException {
        try {
            return ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    /** A new SHA-256 digest: what artifacts are indexed with. */
    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
