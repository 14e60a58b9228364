package dev.cnnworkbench.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fingerprint's definition, written out here once more, so a faster reading of the files cannot change it. */
class FingerprintTest {

    @TempDir
    Path dir;

    @Test
    void isSha256OverRelativePathSizeAndContentOfEachFileInOrder() throws Exception {
        Path a = Files.write(Files.createDirectories(dir.resolve("cat")).resolve("a.png"), new byte[] {1, 2, 3});
        byte[] big = new byte[200_000]; // more than one read buffer
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Path b = Files.write(Files.createDirectories(dir.resolve("dog")).resolve("b.png"), big);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (Object[] f : new Object[][] {{"cat/a.png", new byte[] {1, 2, 3}}, {"dog/b.png", big}}) {
            byte[] content = (byte[]) f[1];
            expected.write(((String) f[0]).getBytes(StandardCharsets.UTF_8));
            expected.write(0);
            expected.write(Integer.toString(content.length).getBytes(StandardCharsets.UTF_8));
            expected.write(0);
            expected.write(content);
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected.toByteArray()));

        assertThat(Fingerprint.of(dir, List.of(a, b))).isEqualTo(sha);
        assertThat(Fingerprint.of(dir.resolve("cat/.."), List.of(dir.resolve("cat/../cat/a.png"), b)))
                .as("paths that are not normalized").isEqualTo(sha);
        assertThat(Fingerprint.of(dir, List.of(b, a))).as("order matters").isNotEqualTo(sha);
        Files.write(a, new byte[] {1, 2, 4});
        assertThat(Fingerprint.of(dir, List.of(a, b))).as("content matters").isNotEqualTo(sha);
    }
}
