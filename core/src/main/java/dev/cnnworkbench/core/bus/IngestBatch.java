package dev.cnnworkbench.core.bus;

import java.util.List;
import java.util.Objects;

/**
 * Command body at {@link Addresses#HUB_INGEST}: run events of one process, in the order it published them, for its
 * home's hub to publish on its own bus. The hub skips an event whose {@code seq} it already took from the same
 * {@code source} (a batch sent again after its reply was lost), and, with {@code flush}, answers only once everything
 * it took is durable in its database. Reply: a JSON object {@code {"accepted": n, "skipped": n, "durable": bool}};
 * a failure with code 400 means the hub refused the batch's content (sending it again does not help).
 *
 * @param source the sending process: unique per process ({@code pid-random})
 * @param flush  whether the reply waits for the hub's storage to make everything durable
 * @param events the events, {@code seq} increasing
 */
public record IngestBatch(String source, boolean flush, List<Event> events) {

    public IngestBatch {
        Objects.requireNonNull(source, "source");
        events = List.copyOf(events);
    }

    /**
     * One event.
     *
     * @param seq     its number in its source, increasing
     * @param address the {@link RunEvents} address it is published at
     * @param json    its record as JSON (as {@link RecordCodec} writes it)
     */
    public record Event(long seq, String address, String json) {
    }
}
