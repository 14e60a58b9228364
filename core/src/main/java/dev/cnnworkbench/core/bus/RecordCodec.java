package dev.cnnworkbench.core.bus;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Event-bus codec for one immutable record type. Locally the record itself is delivered (no copy:
 * records are immutable); across a clustered bus it travels as length-prefixed JSON. Stateless.
 */
public final class RecordCodec<T extends Record> implements MessageCodec<T, T> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Class<T> type;

    public RecordCodec(Class<T> type) {
        this.type = type;
    }

    @Override
    public void encodeToWire(Buffer buffer, T value) {
        try {
            byte[] json = MAPPER.writeValueAsBytes(value);
            buffer.appendInt(json.length).appendBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        int length = buffer.getInt(pos);
        try {
            return MAPPER.readValue(buffer.getBytes(pos + 4, pos + 4 + length), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public T transform(T value) {
        return value;
    }

    @Override
    public String name() {
        return "workbench." + type.getSimpleName();
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
