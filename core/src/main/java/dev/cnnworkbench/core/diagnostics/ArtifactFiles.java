package dev.cnnworkbench.core.diagnostics;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * Writes the diagnostics' files atomically, as {@link dev.cnnworkbench.core.artifact.RunArtifacts#writeNetwork} does:
 * to {@code NAME.partial} in the same folder, then renamed over {@code NAME}, so a reader sees the whole file or none.
 * Stateless.
 */
final class ArtifactFiles {

    static final String JSON = "application/json";
    static final String PNG = "image/png";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ArtifactFiles() {
    }

    /** Writes {@code value} (maps, lists, arrays, records of those) as JSON. */
    static void writeJson(Path file, Object value) {
        try {
            write(file, MAPPER.writeValueAsBytes(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + file.getFileName() + " as JSON: " + e.getMessage(), e);
        }
    }

    static void writePng(Path file, BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + file.getFileName() + " as PNG", e);
        }
        write(file, bytes.toByteArray());
    }

    /** Writes {@code bytes} to {@code file} atomically, creating the folder. */
    static void write(Path file, byte[] bytes) {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            Files.createDirectories(file.getParent());
            Files.write(partial, bytes);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the write already failed; that is the error worth reporting
            }
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
