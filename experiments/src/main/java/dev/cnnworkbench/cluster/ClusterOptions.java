package dev.cnnworkbench.cluster;

import java.util.List;

/**
 * Where one member of a cluster listens and whom it joins.
 *
 * @param bindHost   the address both of this member's listeners bind to (Hazelcast's membership port and the event
 *                   bus's TLS port); {@code 127.0.0.1} by default, so nothing is reachable from another machine
 *                   until asked
 * @param publicHost the address other members reach this one at (differs from {@code bindHost} behind NAT or when
 *                   binding {@code 0.0.0.0}); {@code null}: {@code bindHost}
 * @param port       Hazelcast's membership port; the next free one above it is taken when it is in use (up to
 *                   {@link #PORT_RANGE} ports)
 * @param busPort    the event bus's TLS port; 0: any free port (name one to open it in a firewall)
 * @param members    the {@code HOST:PORT} of members to join (the hub's join address); empty: this member starts a
 *                   cluster of its own (a hub)
 * @param lite       a Hazelcast lite member: it holds none of the cluster's data (the bus's registry lives on the
 *                   hub), so joining and leaving move no data: what a command that joins a hub is. A worker is a
 *                   full member: left alone by a hub that died, it can still clean the registry of the dead hub's
 *                   listeners, and merges with the next hub at that address with nothing stale
 */
public record ClusterOptions(String bindHost, String publicHost, int port, int busPort, List<String> members,
                             boolean lite) {

    public static final String LOOPBACK = "127.0.0.1";
    /** Hazelcast's usual first port. */
    public static final int DEFAULT_PORT = 5701;
    /** How many ports above {@code port} are tried. */
    public static final int PORT_RANGE = 100;

    public ClusterOptions {
        if (bindHost == null || bindHost.isBlank()) {
            throw new IllegalArgumentException("cluster bind host must be an address, got '" + bindHost + "'");
        }
        if (publicHost == null || publicHost.isBlank()) {
            publicHost = bindHost;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("cluster port must be 1..65535, got " + port);
        }
        if (busPort < 0 || busPort > 65535) {
            throw new IllegalArgumentException("cluster bus port must be 0..65535, got " + busPort);
        }
        members = List.copyOf(members);
        for (String m : members) {
            joinAddress(m);
        }
    }

    /** A hub on {@code bindHost} (its join address is printed when it is up). */
    public static ClusterOptions hub(String bindHost) {
        return new ClusterOptions(bindHost, null, DEFAULT_PORT, 0, List.of(), false);
    }

    /** A lite member on this machine's loopback joining the member at {@code join} ({@code HOST:PORT}). */
    public static ClusterOptions joining(String join) {
        return joining(join, LOOPBACK);
    }

    /** A lite member binding {@code bindHost} joining the member at {@code join} ({@code HOST:PORT}). */
    public static ClusterOptions joining(String join, String bindHost) {
        return new ClusterOptions(bindHost, null, DEFAULT_PORT, 0, List.of(join), true);
    }

    /**
     * Checks a {@code HOST:PORT} join address; returns it. Fails naming it when the port is missing or not a port.
     */
    public static String joinAddress(String address) {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("join address must be HOST:PORT (as the hub prints it), got '" + address
                    + "'");
        }
        try {
            int p = Integer.parseInt(address.substring(colon + 1));
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("join address '" + address + "': the port must be 1..65535");
        }
        return address;
    }
}
