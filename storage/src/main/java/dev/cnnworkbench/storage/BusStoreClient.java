package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.ChecksRecorded;
import dev.cnnworkbench.core.bus.HistoryRequest;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunsRequest;
import dev.cnnworkbench.storage.filter.FilterParser;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@link StoreClient} of a store held by the home's hub: each call is one request on the (clustered) bus,
 * answered by the hub's {@link StoreService}. Blocks the calling thread (never call it on an event loop). Filters and
 * sort keys are parsed here first, so a typo is reported with its position before anything is sent.
 */
public final class BusStoreClient implements StoreClient {

    private final EventBus bus;
    private final String hub;
    private final Duration timeout;

    /** {@code hub}: the hub as people read it, for messages ("the workbench serve at ..."); {@code timeout}: per request. */
    public BusStoreClient(EventBus bus, String hub, Duration timeout) {
        this.bus = bus;
        this.hub = hub;
        this.timeout = timeout;
    }

    @Override
    public RunPage find(RunQuery query) {
        FilterParser.parse(query.filter());
        FilterParser.parseField(query.sort());
        return StoreJson.page(this.<JsonObject>ask(Addresses.STORE_RUNS, new RunsRequest(query.filter(), query.sort(),
                query.descending(), query.offset(), query.limit())));
    }

    @Override
    public boolean anyRunHas(String key) {
        FilterParser.parseField(key);
        return this.<Boolean>ask(Addresses.STORE_SORTABLE, key);
    }

    @Override
    public Optional<RunSummary> run(String id) {
        JsonObject run = this.<JsonObject>ask(Addresses.STORE_RUN, id).getJsonObject("run");
        return Optional.ofNullable(run).map(StoreJson::run);
    }

    @Override
    public Map<String, String> specAndProvenance(String runId) {
        JsonObject answer = ask(Addresses.STORE_RUN, runId);
        Map<String, String> out = new LinkedHashMap<>();
        if (answer.getJsonObject("run") == null) {
            return out;
        }
        out.put("spec", answer.getString("spec"));
        out.put("provenance", answer.getString("provenance"));
        return out;
    }

    @Override
    public List<MetricPoint> history(String runId, String metric) {
        return this.<MetricBatch>ask(Addresses.STORE_HISTORY, new HistoryRequest(runId, metric)).points();
    }

    @Override
    public List<SweepStore.TrialRun> trialRuns(String sweepId) {
        List<SweepStore.TrialRun> out = new ArrayList<>();
        this.<JsonArray>ask(Addresses.STORE_SWEEP_TRIALS, sweepId).forEach(o -> {
            JsonObject j = (JsonObject) o;
            out.add(new SweepStore.TrialRun(j.getString("runId"), j.getInteger("trial")));
        });
        return out;
    }

    @Override
    public void writeChecks(ChecksRecorded checks) {
        ask(Addresses.STORE_CHECKS, checks);
    }

    @Override
    public String where() {
        return hub;
    }

    private <T> T ask(String address, Object body) {
        try {
            return bus.<T>request(address, body, new DeliveryOptions().setSendTimeout(timeout.toMillis()))
                    .await(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS).body();
        } catch (ReplyException e) {
            if (e.failureType() == ReplyFailure.RECIPIENT_FAILURE && e.failureCode() == 400) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            String why = switch (e.failureType()) {
                case NO_HANDLERS -> "it is not on the bus (stopped?)";
                case TIMEOUT -> "it did not answer within " + timeout.toSeconds() + " s";
                default -> e.getMessage();
            };
            throw new StorageException("cannot read the store of " + hub + ": " + why, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new StorageException("cannot read the store of " + hub + ": it did not answer within "
                    + timeout.toSeconds() + " s", e);
        } catch (Exception e) {
            throw new StorageException("cannot read the store of " + hub + ": " + e.getMessage(), e);
        }
    }
}
