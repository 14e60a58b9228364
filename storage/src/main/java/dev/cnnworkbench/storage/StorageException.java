package dev.cnnworkbench.storage;

/** The run store cannot do what was asked; the message says what and, where it can, how to fix it. */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
