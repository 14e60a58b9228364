package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.ChecksRecorded;
import dev.cnnworkbench.core.bus.HistoryRequest;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.RunsRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's store on the bus: answers the {@code STORE_*} commands of {@link Addresses} from any member of the
 * cluster with the queries of the database this process owns (what {@link BusStoreClient} asks). A bad filter, sort
 * key or refused write fails the request with code 400 and the store's reason; anything else with 500. Deploy it as a
 * worker verticle: each answer runs a blocking query on its thread, one at a time.
 */
public final class StoreService extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(StoreService.class);

    private final DirectStoreClient store;

    public StoreService(Database db) {
        this.store = new DirectStoreClient(db);
    }

    @Override
    public Future<?> start() {
        var bus = vertx.eventBus();
        return Future.all(
                bus.<RunsRequest>consumer(Addresses.STORE_RUNS, m -> answer(m, r -> StoreJson.page(store.find(
                        new RunQuery(r.filter(), r.sort(), r.descending(), r.offset(), r.limit()))))).completion(),
                bus.<String>consumer(Addresses.STORE_SORTABLE, m -> answer(m, store::anyRunHas)).completion(),
                bus.<String>consumer(Addresses.STORE_RUN, m -> answer(m, this::run)).completion(),
                bus.<HistoryRequest>consumer(Addresses.STORE_HISTORY, m -> answer(m,
                        h -> new MetricBatch(h.runId(), store.history(h.runId(), h.metric())))).completion(),
                bus.<String>consumer(Addresses.STORE_SWEEP_TRIALS, m -> answer(m, this::trials)).completion(),
                bus.<ChecksRecorded>consumer(Addresses.STORE_CHECKS, m -> answer(m, c -> {
                    store.writeChecks(c);
                    return "recorded";
                })).completion());
    }

    private JsonObject run(String id) {
        JsonObject out = new JsonObject();
        store.run(id).ifPresent(r -> {
            out.put("run", StoreJson.run(r));
            Map<String, String> recorded = store.specAndProvenance(id);
            out.put("spec", recorded.get("spec")).put("provenance", recorded.get("provenance"));
        });
        return out;
    }

    private JsonArray trials(String sweepId) {
        JsonArray out = new JsonArray();
        store.trialRuns(sweepId).forEach(t -> out.add(new JsonObject().put("runId", t.runId()).put("trial", t.trial())));
        return out;
    }

    private static <T> void answer(Message<T> m, Function<T, Object> query) {
        try {
            m.reply(query.apply(m.body()));
        } catch (IllegalArgumentException | FilterException e) {
            m.fail(400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("the store could not answer {}: {}", m.address(), e.toString());
            m.fail(500, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
