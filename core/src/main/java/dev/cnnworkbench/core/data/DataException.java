package dev.cnnworkbench.core.data;

/** A data file is missing, unreadable or malformed; the message names the file and the remedy. */
public final class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
