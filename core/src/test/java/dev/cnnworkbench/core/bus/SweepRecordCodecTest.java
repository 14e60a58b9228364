package dev.cnnworkbench.core.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweep and ensemble records cross a process boundary (spill files, a server's ingest) and come back equal. */
class SweepRecordCodecTest {

    private static <T extends Record> T roundTrip(Class<T> type, T value) {
        RecordCodec<T> codec = new RecordCodec<>(type);
        Buffer wire = Buffer.buffer();
        codec.encodeToWire(wire, value);
        return codec.decodeFromWire(0, wire);
    }

    @Test
    void aSweepDefinitionKeepsItsDomainsInOrderAndItsPlan() {
        Map<String, String> domains = new LinkedHashMap<>();
        domains.put("regularization.l2", "{\"uniform\":[0,0.01]}");
        domains.put("optimizer.lr", "{\"loguniform\":[1.0E-4,0.1]}");
        SweepDefined sweep = new SweepDefined("s", "{}", "random", "val_loss", "min", 2, 1, 3L, domains,
                "{\"type\":\"asha\",\"min_epochs\":1,\"eta\":3}", 3, "s0",
                List.of(new SweepDefined.PlannedTrial(1, "{\"optimizer.lr\":0.01}"),
                        new SweepDefined.PlannedTrial(2, "{\"optimizer.lr\":0.001}")), "ana", 5L);
        SweepDefined back = roundTrip(SweepDefined.class, sweep);
        assertThat(back).isEqualTo(sweep);
        assertThat(back.domains().keySet()).containsExactly("regularization.l2", "optimizer.lr");
    }

    @Test
    void aRungJudgementAndAnEnsembleSurviveTheWire() {
        RungJudged rung = new RungJudged("s", 3, 1, 0.34, 0.62, 3, 3, false, "ASHA: ...", 9L);
        assertThat(roundTrip(RungJudged.class, rung)).isEqualTo(rung);
        EnsembleRecorded e = new EnsembleRecorded("e1", "r9", "snapshots of r9", "snapshot", "r9", null, "mean-softmax",
                "test", 200, 0.61, 1.25, 1, "mcnemar-exact", 6, 5, 0.63,
                List.of(new EnsembleRecorded.Member("r9", "r9/snapshot-03.zip", "ab".repeat(32), "snapshot 3", 0.59, 1.3),
                        new EnsembleRecorded.Member("r9", "r9/snapshot-02.zip", "cd".repeat(32), "snapshot 2", 0.595, 1.28)),
                List.of(new EnsembleRecorded.Prefix(1, 0.59, 1.3), new EnsembleRecorded.Prefix(2, 0.61, 1.25)), 7L);
        EnsembleRecorded back = roundTrip(EnsembleRecorded.class, e);
        assertThat(back).isEqualTo(e);
        assertThat(back.bestMemberAccuracy()).isEqualTo(0.595);
    }
}
