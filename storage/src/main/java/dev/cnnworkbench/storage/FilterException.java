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

    /**
     * Two lines for a terminal: the filter, and a caret under the offending token. A filter longer than
     * {@value #WINDOW} characters is shown around the position only, its cut ends marked with {@code ...}.
     */
    public String pointer() {
        if (filter.length() <= WINDOW) {
            return filter + "\n" + " ".repeat(position) + "^";
        }
        int from = Math.max(0, Math.min(position - WINDOW / 2, filter.length() - WINDOW));
        int to = Math.min(filter.length(), from + WINDOW);
        String head = from > 0 ? "..." : "";
        return head + filter.substring(from, to) + (to < filter.length() ? "..." : "") + "\n"
                + " ".repeat(head.length() + position - from) + "^";
    }

    private static final int WINDOW = 120;
}
