package dev.cnnworkbench.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.engine.BusSink;
import dev.cnnworkbench.core.sweep.FileChunk;
import dev.cnnworkbench.core.sweep.SweepCodecs;
import dev.cnnworkbench.core.sweep.WorkAddresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's files to and from the hub's depot: whole and checked, in parts; damaged or escaping ones refused. */
class FileTransferTest {

    @TempDir
    Path hub;
    @TempDir
    Path worker;
    private Vertx vertx;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        BusCodecs.register(vertx);
        SweepCodecs.register(vertx.eventBus());
        vertx.deployVerticle(new FileDepot(hub), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                .await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aFileOfSeveralPartsArrivesWholeAndComesBack() throws Exception {
        byte[] content = new byte[FileChunk.MAX_BYTES * 2 + 123];
        new Random(1).nextBytes(content);
        Path file = worker.resolve("checkpoint-epoch-002.zip");
        Files.write(file, content);
        FileTransfer.send(vertx.eventBus(), "run1", "checkpoint-epoch-002.zip", file);
        Path onHub = hub.resolve("artifacts/run1/checkpoint-epoch-002.zip");
        assertThat(onHub).hasBinaryContent(content);
        assertThat(onHub.resolveSibling("checkpoint-epoch-002.zip.upload")).doesNotExist();

        Path back = worker.resolve("elsewhere/artifacts/run1/checkpoint-epoch-002.zip");
        FileTransfer.fetch(vertx.eventBus(), "run1", "checkpoint-epoch-002.zip", back);
        assertThat(BusSink.sha256(back)).isEqualTo(BusSink.sha256(file));
    }

    @Test
    void aDamagedFileNeverAppearsAndANameOutsideTheRunIsRefused() throws Exception {
        byte[] data = "model".getBytes();
        var bus = vertx.eventBus();
        assertThatThrownBy(() -> bus.request(WorkAddresses.FILE_PUT, new FileChunk("run1", "model.zip", 0, data,
                data.length, "0".repeat(64))).await(10, TimeUnit.SECONDS))
                .isInstanceOf(ReplyException.class).hasMessageContaining("arrived damaged");
        assertThat(hub.resolve("artifacts/run1/model.zip")).doesNotExist();

        assertThatThrownBy(() -> bus.request(WorkAddresses.FILE_PUT, new FileChunk("run1", "../run2/model.zip", 0, data,
                data.length, BusSink.sha256(write(data)))).await(10, TimeUnit.SECONDS))
                .isInstanceOf(ReplyException.class).hasMessageContaining("not a file name inside a run's folder");
        assertThat(hub.resolve("artifacts/run2")).doesNotExist();
        assertThatThrownBy(() -> FileTransfer.fetch(bus, "run1", "missing.zip", worker.resolve("x.zip")))
                .hasMessageContaining("the hub has no file run1/missing.zip");
    }

    private Path write(byte[] data) throws Exception {
        Path f = worker.resolve("tmp.bin");
        Files.write(f, data);
        return f;
    }
}
