package dev.cnnworkbench.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The one rule for artifact paths, kept by every side that touches them: the writer indexes only safe paths, the
 * ingest endpoint refuses others, and a server hands out only files that {@link #file} finds. A safe path is
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
}
