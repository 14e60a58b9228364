package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactPathsTest {

    @TempDir
    Path home;

    @Test
    void aSafePathIsRelativeSlashSeparatedAndStaysBelowTheRoot() {
        assertThat(ArtifactPaths.isSafe("run-1/model.zip")).isTrue();
        assertThat(ArtifactPaths.isSafe("run-1/images/filters.png")).isTrue();
        assertThat(ArtifactPaths.isSafe("run-1/..hidden..png")).isTrue();
        for (String bad : new String[] {null, "", "/etc/passwd", "../secret", "run/../../secret", "run/./x", "run//x",
                "run/", "run\\..\\x", "run/x\u0000.png", "..", "x".repeat(1025)}) {
            assertThat(ArtifactPaths.isSafe(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void findsARegularFileUnderTheRootOnly() throws IOException {
        Path root = Files.createDirectories(home.resolve("artifacts"));
        Path file = Files.writeString(Files.createDirectories(root.resolve("r1")).resolve("a.txt"), "a");
        Files.writeString(home.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("r1").resolve("out.txt"), home.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("r1").resolve("in.txt"), file);

        assertThat(ArtifactPaths.file(root, "r1/a.txt")).contains(file.toRealPath());
        assertThat(ArtifactPaths.file(root, "r1/in.txt")).contains(file.toRealPath());
        assertThat(ArtifactPaths.file(root, "r1/missing.txt")).isEmpty();
        assertThat(ArtifactPaths.file(root, "r1")).as("a folder is never served").isEmpty();
        assertThatThrownBy(() -> ArtifactPaths.file(root, "r1/out.txt")).isInstanceOf(SecurityException.class)
                .hasMessageContaining("leads out of the artifacts folder");
        assertThatThrownBy(() -> ArtifactPaths.file(root, "../secret.txt")).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> ArtifactPaths.file(root, home.resolve("secret.txt").toString()))
                .isInstanceOf(SecurityException.class);
    }

    @Test
    void servesOnlyTheFileAsIndexedNeverAHardLinkEvenWithTheSameContent() throws Exception {
        Path root = Files.createDirectories(home.resolve("artifacts"));
        Path secret = Files.writeString(home.resolve("server.json"), "{\"token\": \"secret\"}");
        Path run = Files.createDirectories(root.resolve("r1"));
        Path linked = Files.createLink(run.resolve("linked.json"), secret);
        Path plain = Files.writeString(run.resolve("plain.json"), "{\"token\": \"secret\"}");
        byte[] content = Files.readAllBytes(secret);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));

        ArtifactPaths.checkIndexed(plain, artifact("r1/plain.json", content.length, sha));
        assertThatThrownBy(() -> ArtifactPaths.checkIndexed(linked, artifact("r1/linked.json", content.length, sha)))
                .as("same size and SHA-256 as indexed, but another name of a file elsewhere")
                .isInstanceOf(SecurityException.class).hasMessageContaining("hard links");
        assertThatThrownBy(() -> ArtifactPaths.checkIndexed(plain, artifact("r1/plain.json", content.length + 1, sha)))
                .isInstanceOf(SecurityException.class).hasMessageContaining("bytes, not the");
        assertThatThrownBy(() -> ArtifactPaths.checkIndexed(plain, artifact("r1/plain.json", content.length, "0".repeat(64))))
                .isInstanceOf(SecurityException.class).hasMessageContaining("SHA-256");
    }

    private static StoredArtifact artifact(String path, long size, String sha) {
        return new StoredArtifact(7, "r1", "file", path, path, size, sha, "application/json", null, null, null);
    }
}
