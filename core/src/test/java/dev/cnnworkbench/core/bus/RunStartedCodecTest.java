package dev.cnnworkbench.core.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A {@link RunStarted} crosses a process boundary (spill files, a server's ingest) as JSON: a new run and a resumed one
 * come back as they left, and a start written before {@code resumedAfterEpoch} existed reads as a new run.
 */
class RunStartedCodecTest {

    private final RecordCodec<RunStarted> codec = new RecordCodec<>(RunStarted.class);

    private RunStarted roundTrip(RunStarted start) {
        Buffer wire = Buffer.buffer();
        codec.encodeToWire(wire, start);
        return codec.decodeFromWire(0, wire);
    }

    private static RunStarted start(int resumedAfterEpoch) {
        return new RunStarted("r1", "lenet", "fashion", "{}", Map.of("optimizer.lr", 0.001),
                Map.of("git", "abc"), 1_000L, 42L, "host", "ana", resumedAfterEpoch);
    }

    @Test
    void newAndResumedStartsSurviveTheWire() {
        assertThat(roundTrip(start(0))).isEqualTo(start(0)).satisfies(s -> assertThat(s.resumed()).isFalse());
        assertThat(roundTrip(start(3))).isEqualTo(start(3)).satisfies(s -> assertThat(s.resumed()).isTrue());
    }

    @Test
    void aStartFromBeforeResumeExistedIsANewRun() {
        byte[] json = ("{\"runId\":\"r1\",\"name\":\"lenet\",\"experiment\":\"fashion\",\"specJson\":\"{}\","
                + "\"params\":{},\"provenance\":{},\"startedAt\":1,\"pid\":2,\"host\":\"h\",\"user\":\"u\"}")
                .getBytes(StandardCharsets.UTF_8);
        Buffer wire = Buffer.buffer().appendInt(json.length).appendBytes(json);
        RunStarted old = codec.decodeFromWire(0, wire);
        assertThat(old.resumedAfterEpoch()).isZero();
        assertThat(old.runId()).isEqualTo("r1");
        assertThat(old.sweepTrial()).as("a start from before sweeps were records is no trial").isNull();
    }

    @Test
    void aTrialsStartCarriesItsSweepAndTrialNumber() {
        RunStarted trial = new RunStarted("r2", "renamed by someone", "lr", "{}", Map.of(), Map.of(), 1L, 2L, "h", "u", 0,
                new SweepTrialRef("lr", 7));
        assertThat(roundTrip(trial)).isEqualTo(trial).satisfies(s -> assertThat(s.sweepTrial().trial()).isEqualTo(7));
    }
}
