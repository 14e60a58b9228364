package dev.cnnworkbench.core.worker;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.engine.BusSink;
import dev.cnnworkbench.core.sweep.FileChunk;
import dev.cnnworkbench.core.sweep.FileRead;
import dev.cnnworkbench.core.sweep.WorkAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The hub's side of the runs' files: writes the parts workers send ({@link WorkAddresses#FILE_PUT}) into
 * {@code HOME/artifacts/RUN_ID/NAME}, under {@code NAME.upload} until the last part, whose SHA-256 must match before
 * the file appears whole (atomically); and reads parts of the files it holds back to workers
 * ({@link WorkAddresses#FILE_GET}: a run resumed on another worker). Deploy as a worker verticle (it does disk I/O).
 */
public final class FileDepot extends VerticleBase {

    private final Path home;

    public FileDepot(Path home) {
        this.home = home;
    }

    @Override
    public Future<?> start() {
        var bus = vertx.eventBus();
        return Future.all(bus.<FileChunk>consumer(WorkAddresses.FILE_PUT, this::onPut).completion(),
                bus.<FileRead>consumer(WorkAddresses.FILE_GET, this::onGet).completion());
    }

    /** A run's file {@code name} under {@code home}; refuses a name that would leave the run's folder. */
    static Path file(Path home, String runId, String name) {
        if (name == null || !name.matches("[A-Za-z0-9._\\-]+(/[A-Za-z0-9._\\-]+)*")
                || java.util.Arrays.stream(name.split("/")).anyMatch(s -> s.equals(".") || s.equals(".."))) {
            throw new IllegalArgumentException("not a file name inside a run's folder: " + name);
        }
        return RunArtifacts.dir(home, runId).resolve(name);
    }

    private void onPut(Message<FileChunk> msg) {
        FileChunk c = msg.body();
        try {
            Path target = file(home, c.runId(), c.name());
            Path partial = target.resolveSibling(target.getFileName() + ".upload");
            Files.createDirectories(target.getParent());
            if (c.offset() == 0) {
                Files.deleteIfExists(partial);
            } else if (!Files.exists(partial) || Files.size(partial) != c.offset()) {
                msg.fail(409, "part at " + c.offset() + " of " + c.runId() + "/" + c.name() + " does not follow the "
                        + (Files.exists(partial) ? Files.size(partial) + " bytes received" : "nothing received"));
                return;
            }
            Files.write(partial, c.data(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (c.last()) {
                String sha = BusSink.sha256(partial);
                if (Files.size(partial) != c.size() || !sha.equals(c.sha256())) {
                    Files.deleteIfExists(partial);
                    msg.fail(422, c.runId() + "/" + c.name() + " arrived damaged (SHA-256 " + sha + ", sent "
                            + c.sha256() + "); send it again");
                    return;
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            msg.reply("ok");
        } catch (IllegalArgumentException e) {
            msg.fail(400, e.getMessage());
        } catch (IOException e) {
            msg.fail(500, "cannot write " + c.runId() + "/" + c.name() + " on the hub: " + e);
        }
    }

    private void onGet(Message<FileRead> msg) {
        FileRead r = msg.body();
        try {
            Path f = file(home, r.runId(), r.name());
            if (!Files.isRegularFile(f)) {
                msg.fail(404, "the hub has no file " + r.runId() + "/" + r.name());
                return;
            }
            try (RandomAccessFile in = new RandomAccessFile(f.toFile(), "r")) {
                long size = in.length();
                int n = (int) Math.max(0, Math.min(FileChunk.MAX_BYTES, size - r.offset()));
                byte[] data = new byte[n];
                in.seek(r.offset());
                in.readFully(data);
                boolean last = r.offset() + n >= size;
                msg.reply(new FileChunk(r.runId(), r.name(), r.offset(), data, size, last ? BusSink.sha256(f) : null));
            }
        } catch (IllegalArgumentException e) {
            msg.fail(400, e.getMessage());
        } catch (IOException e) {
            msg.fail(500, "cannot read " + r.runId() + "/" + r.name() + " on the hub: " + e);
        }
    }
}
