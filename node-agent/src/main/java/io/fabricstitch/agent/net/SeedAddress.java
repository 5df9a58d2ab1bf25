package io.fabricstitch.agent.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code seeds} element: {@code host:port} or {@code host:port1..port2} (every port of the range). */
final class SeedAddress {
    /** Most ports one element may expand to. */
    static final int MAX_PORTS = 1024;

    private static final Pattern FORM =
        Pattern.compile("([A-Za-z0-9][A-Za-z0-9.-]{0,252}):(\\d{1,5})(?:\\.\\.(\\d{1,5}))?");

    private static final String EXPECTED = "host:port or host:port..port";

    private final String host;
    private final int firstPort;
    private final int lastPort;

    private SeedAddress(String host, int firstPort, int lastPort) {
        this.host = host;
        this.firstPort = firstPort;
        this.lastPort = lastPort;
    }

    /**
     * @throws IllegalArgumentException {@code beaconSeeds element: 'x' (expected: host:port or host:port..port)}, or a
     *     message naming the bad port range
     */
    static SeedAddress parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches())
            throw new IllegalArgumentException("beaconSeeds element: '" + text + "' (expected: " + EXPECTED + ")");
        int first = Integer.parseInt(m.group(2));
        int last = m.group(3) == null ? first : Integer.parseInt(m.group(3));
        if (first < 1 || last > 65535 || first > last)
            throw new IllegalArgumentException("beaconSeeds element: '" + text + "' (expected: " + EXPECTED
                + " with ports 1..65535, the first not above the last)");
        if (last - first + 1 > MAX_PORTS)
            throw new IllegalArgumentException("beaconSeeds element: '" + text + "' (expected: at most " + MAX_PORTS
                + " ports in a range)");
        return new SeedAddress(m.group(1), first, last);
    }

    /**
     * Every address this element names.
     *
     * @throws UnknownHostException when the host has no IPv4 address
     */
    List<InetSocketAddress> resolve() throws UnknownHostException {
        InetAddress addr = null;
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if (a instanceof Inet4Address) {
                addr = a;
                break;
            }
        }
        if (addr == null)
            throw new UnknownHostException(host + " has no IPv4 address");
        List<InetSocketAddress> all = new ArrayList<>(lastPort - firstPort + 1);
        for (int port = firstPort; port <= lastPort; port++)
            all.add(new InetSocketAddress(addr, port));
        return all;
    }

    @Override
    public String toString() {
        return host + ':' + firstPort + (lastPort == firstPort ? "" : ".." + lastPort);
    }
}
