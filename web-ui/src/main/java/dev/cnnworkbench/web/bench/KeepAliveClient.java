package dev.cnnworkbench.web.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The lightest HTTP/1.1 client a benchmark can have: one kept-alive connection, one request at a time on the calling
 * thread (no pipelining), replies with a {@code Content-Length}. So that a benchmark of calls in a row measures the
 * server's cost per call rather than its client's (the JDK's HttpClient spends several times the server's CPU per call
 * handing each request between its threads). Not thread-safe; close it when done.
 */
final class KeepAliveClient implements AutoCloseable {

    /** A reply: its status and body. */
    record Reply(int status, String body) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;

    KeepAliveClient(String host, int port) throws IOException {
        this.socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.host = host + ":" + port;
    }

    /** POSTs a JSON body to {@code path} with the extra header lines given ({@code "Name: value"}), and reads the reply. */
    Reply post(String path, String json, String... headers) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(200).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        String status = line();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: '" + status + "'");
        }
        int length = -1;
        for (String h; !(h = line()).isEmpty(); ) {
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("reply without Content-Length to POST " + path + " (" + status + ")");
        }
        byte[] reply = in.readNBytes(length);
        if (reply.length < length) {
            throw new EOFException("the server closed the connection in a reply to POST " + path);
        }
        return new Reply(Integer.parseInt(status.substring(9, 12)), new String(reply, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
