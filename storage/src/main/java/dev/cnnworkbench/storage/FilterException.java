package dev.cnnworkbench.storage;

/**
 * A run filter or sort key that cannot be parsed. Says which token is wrong and where: {@link #position()}
 * is the 0-based character offset of the offending token in {@link #filter()}.
 */
public final class FilterException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final String filter;
    private final int position;
    private final String token;

    public FilterException(String filter, int position, String token, String problem) {
        super(problem + " at position " + position + (token.isEmpty() ? " (end of filter)" : " ('" + token + "')")
                + " in: " + filter);
        this.filter = filter;
        this.position = position;
        this.token = token;
    }

    /** The filter text as given. */
    public String filter() {
        return filter;
    }

    /** 0-based character offset of the offending token; the filter's length when the filter ended too soon. */
    public int position() {
        return position;
    }

    /** The offending token as written; empty at the end of the filter. */
    public String token() {
        return token;
    }

    /** Two lines for a terminal: the filter, and a caret under the offending token. */
    public String pointer() {
        return filter + "\n" + " ".repeat(position) + "^";
    }
}
