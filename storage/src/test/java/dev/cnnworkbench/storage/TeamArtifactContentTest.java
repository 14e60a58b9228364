package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.RunStarted;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team's artifacts through a real H2 TCP server: one member's file copied into the database in chunks, read back
 * and written into another member's home verified, refused when the stored bytes differ, gone with its run.
 */
class TeamArtifactContentTest {

    @TempDir
    Path dir;
    Server server;
    Database db;
    Path homeA;
    Path homeB;

    @BeforeEach
    void start() throws Exception {
        server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.resolve("h2").toString(), "-ifNotExists").start();
        db = Database.open("jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/team", "sa", "");
        homeA = Files.createDirectories(dir.resolve("a/artifacts"));
        homeB = Files.createDirectories(dir.resolve("b/artifacts"));
        new RunWriter(db).insertRun(new RunStarted("runA", "a", "team", "{}", Map.of(), Map.of(), 0, 1, "machine-a", "alice"));
    }

    @AfterEach
    void stop() {
        db.close();
        server.stop();
    }

    /** Writes {@code bytes} as {@code path} in member A's home and indexes it, as a trainer and its storage do. */
    private RunArtifact announce(String path, byte[] bytes) throws Exception {
        return announce(path, "model", bytes);
    }

    private RunArtifact announce(String path, String kind, byte[] bytes) throws Exception {
        Path file = homeA.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        String sha = HexFormat.of().formatHex(ArtifactPaths.sha256Digest().digest(bytes));
        RunArtifact a = new RunArtifact("runA", kind, path, path, bytes.length, sha, "application/zip", 10, 0,
                System.currentTimeMillis());
        new RunWriter(db).putArtifact(a);
        return a;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void aMembersFileIsStoredInChunksAndReadBackVerifiedInAnotherHome() throws Exception {
        byte[] bytes = random(3 * ArtifactChunks.CHUNK_BYTES + 12_345);
        RunArtifact announced = announce("runA/model.zip", bytes);
        ArtifactUploads.forDatabase(db, homeA, 1L << 30).orElseThrow().store(announced);
        StoredArtifact artifact = new RunQueries(db).artifacts("runA").get(0);
        assertThat(new ArtifactChunks(db).stored(artifact.id())).isEqualTo(new ArtifactChunks.Stored(4, bytes.length));

        ArtifactContent inB = new ArtifactContent(homeB, db);
        ArtifactContent.Source source = inB.locate(artifact);
        assertThat(source).isInstanceOf(ArtifactContent.Stored.class);
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        ArtifactContent.ChunkReader reader = inB.reader((ArtifactContent.Stored) source);
        for (byte[] chunk; (chunk = reader.next()) != null; ) {
            assertThat(chunk.length).isLessThanOrEqualTo(ArtifactChunks.CHUNK_BYTES);
            streamed.write(chunk);
        }
        assertThat(streamed.toByteArray()).isEqualTo(bytes);

        Path copy = inB.materialise(artifact);
        assertThat(copy).isEqualTo(homeB.resolve("runA/model.zip").toRealPath());
        assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
        assertThat(inB.locate(artifact)).isEqualTo(new ArtifactContent.Local(copy));
    }

    @Test
    void storedBytesThatAreNotTheIndexedOnesAreRefusedBeforeTheLastChunk() throws Exception {
        byte[] bytes = random(2 * ArtifactChunks.CHUNK_BYTES + 7);
        RunArtifact announced = announce("runA/snapshot-01.zip", bytes);
        ArtifactUploads.forDatabase(db, homeA, 1L << 30).orElseThrow().store(announced);
        StoredArtifact artifact = new RunQueries(db).artifacts("runA").get(0);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE artifact_chunks SET bytes = ? WHERE artifact_id = ? AND seq = 1")) {
            byte[] tampered = random(ArtifactChunks.CHUNK_BYTES);
            ps.setBytes(1, tampered);
            ps.setLong(2, artifact.id());
            ps.executeUpdate();
        }
        ArtifactContent inB = new ArtifactContent(homeB, db);
        ArtifactContent.ChunkReader reader = inB.reader((ArtifactContent.Stored) inB.locate(artifact));
        assertThat(reader.next()).hasSize(ArtifactChunks.CHUNK_BYTES);
        assertThat(reader.next()).hasSize(ArtifactChunks.CHUNK_BYTES);
        assertThatThrownBy(reader::next).isInstanceOf(SecurityException.class).hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> inB.materialise(artifact)).isInstanceOf(SecurityException.class);
        assertThat(homeB.resolve("runA/snapshot-01.zip")).doesNotExist();
        assertThat(homeB.resolve("runA/snapshot-01.zip.partial")).doesNotExist();
    }

    @Test
    void aFileOverTheCapStaysWithItsTrainerAndTheRunSaysSo() throws Exception {
        RunArtifact announced = announce("runA/model.zip", random(3000));
        ArtifactUploads.forDatabase(db, homeA, 2048).orElseThrow().store(announced);
        StoredArtifact artifact = new RunQueries(db).artifacts("runA").get(0);
        assertThat(new ArtifactChunks(db).chunkRows()).isZero();
        assertThat(new RunQueries(db).warnings("runA")).singleElement()
                .satisfies(w -> assertThat(w.message()).contains("runA/model.zip", "cap", ArtifactUploads.ENV));
        ArtifactContent inB = new ArtifactContent(homeB, db);
        assertThat(inB.locate(artifact)).isInstanceOf(ArtifactContent.Missing.class);
        assertThatThrownBy(() -> inB.materialise(artifact)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("team database");
    }

    @Test
    void deletingTheRunDeletesItsStoredFiles() throws Exception {
        RunArtifact announced = announce("runA/model.zip", random(5000));
        ArtifactUploads.forDatabase(db, homeA, 1L << 30).orElseThrow().store(announced);
        assertThat(new ArtifactChunks(db).chunkRows()).isEqualTo(1);
        new RunWriter(db).endRun(new RunEnded("runA", RunStatus.FINISHED, null, System.currentTimeMillis()));
        assertThat(new RunChanges(db).delete("runA").outcome()).isEqualTo(RunChanges.Deletion.DELETED);
        assertThat(new ArtifactChunks(db).chunkRows()).isZero();
    }

    @Test
    void checkpointsTheTrainerDeletedLeaveTheDatabaseWhenTheNextOneIsStored() throws Exception {
        ArtifactUploads uploads = ArtifactUploads.forDatabase(db, homeA, 1L << 30).orElseThrow();
        uploads.store(announce("runA/checkpoint-epoch-001.zip", "checkpoint", random(1000)));
        uploads.store(announce("runA/best.zip", "checkpoint", random(1001)));
        Files.delete(homeA.resolve("runA/checkpoint-epoch-001.zip"));
        uploads.store(announce("runA/checkpoint-epoch-002.zip", "checkpoint", random(1002)));
        ArtifactChunks chunks = new ArtifactChunks(db);
        assertThat(chunks.storedOf("runA", "checkpoint").values())
                .containsExactlyInAnyOrder("runA/best.zip", "runA/checkpoint-epoch-002.zip");
    }

    @Test
    void theCapIsReadFromTheEnvironmentAndABadOneNamesTheVariable() {
        assertThat(ArtifactUploads.maxBytes(Map.of())).isEqualTo(256L << 20);
        assertThat(ArtifactUploads.maxBytes(Map.of(ArtifactUploads.ENV, "16"))).isEqualTo(16L << 20);
        assertThatThrownBy(() -> ArtifactUploads.maxBytes(Map.of(ArtifactUploads.ENV, "lots")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ArtifactUploads.ENV).hasMessageContaining("lots");
        try (Database embedded = Database.openEmbedded(dir.resolve("embedded"))) {
            assertThat(ArtifactUploads.forDatabase(embedded, homeA, 1)).as("an embedded home keeps its files").isEmpty();
        }
    }
}
