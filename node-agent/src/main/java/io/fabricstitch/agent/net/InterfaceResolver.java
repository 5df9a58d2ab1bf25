package io.fabricstitch.agent.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds the network interface multicast uses: the one named (by name or IPv4 address), else the one holding the bind
 * address, else (bind address {@code 0.0.0.0}) the first interface that is up, multicast-capable and not loopback,
 * with an IPv4 address, falling back to loopback.
 */
final class InterfaceResolver {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private InterfaceResolver() {
    }

    /**
     * @param interfaceName a name or IPv4 address; null to derive it from {@code bindAddress}
     * @throws IllegalStateException naming the interface or address that is not this host's, and listing the host's
     *     interfaces
     */
    static NetworkInterface resolve(String interfaceName, InetAddress bindAddress) {
        try {
            if (interfaceName != null) {
                NetworkInterface nif = named(interfaceName);
                if (nif == null)
                    throw new IllegalStateException("network.beaconInterface: '" + interfaceName + "' (expected: an "
                        + "interface of this host, by name or IPv4 address: " + describeAll() + ")");
                return withIpv4(nif, "network.beaconInterface");
            }
            if (!bindAddress.isAnyLocalAddress()) {
                NetworkInterface nif = NetworkInterface.getByInetAddress(bindAddress);
                if (nif == null)
                    throw new IllegalStateException("bindHost: " + bindAddress.getHostAddress() + " (expected: an "
                        + "address of this host, or 0.0.0.0; interfaces: " + describeAll() + ")");
                return nif;
            }
            return systemDefault();
        }
        catch (SocketException e) {
            throw new IllegalStateException("network interfaces: could not be listed (" + e + ")", e);
        }
    }

    /** The interface with name {@code name}, or holding IPv4 address {@code name}; null when there is none. */
    private static NetworkInterface named(String name) throws SocketException {
        if (!IPV4.matcher(name).matches())
            return NetworkInterface.getByName(name);
        byte[] octets = new byte[4];
        String[] parts = name.split("\\.");
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v > 255)
                return null;
            octets[i] = (byte)v;
        }
        try {
            return NetworkInterface.getByInetAddress(InetAddress.getByAddress(octets));
        }
        catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are an IPv4 address", e);
        }
    }

    private static NetworkInterface withIpv4(NetworkInterface nif, String what) throws SocketException {
        if (ipv4(nif) == null)
            throw new IllegalStateException(what + ": '" + nif.getName() + "' has no IPv4 address (expected: an "
                + "interface with one: " + describeAll() + ")");
        return nif;
    }

    private static NetworkInterface systemDefault() throws SocketException {
        NetworkInterface loopback = null;
        for (NetworkInterface nif : all()) {
            if (!nif.isUp() || ipv4(nif) == null)
                continue;
            if (nif.isLoopback())
                loopback = loopback == null ? nif : loopback;
            else if (nif.supportsMulticast())
                return nif;
        }
        if (loopback == null)
            throw new IllegalStateException("network.beaconInterface: null, and no interface is up with an IPv4 "
                + "address (expected: one such interface: " + describeAll() + ")");
        return loopback;
    }

    /** Whether {@code nif} is a loopback interface; false when that cannot be read. */
    static boolean isLoopback(NetworkInterface nif) {
        try {
            return nif.isLoopback();
        }
        catch (SocketException e) {
            return false;
        }
    }

    /** The host's interfaces, e.g. {@code lo 127.0.0.1, eth0 192.0.2.2, ifb0 (down, no IPv4)}. */
    static String describeAll() {
        try {
            List<String> all = new ArrayList<>();
            for (NetworkInterface nif : all()) {
                InetAddress a = ipv4(nif);
                String flags = (nif.isUp() ? "" : "down") + (a == null ? (nif.isUp() ? "" : ", ") + "no IPv4" : "");
                all.add(nif.getName() + (a == null ? "" : " " + a.getHostAddress())
                    + (flags.isEmpty() ? "" : " (" + flags + ")"));
            }
            return all.isEmpty() ? "none" : String.join(", ", all);
        }
        catch (SocketException e) {
            return "unknown (" + e + ")";
        }
    }

    private static List<NetworkInterface> all() throws SocketException {
        List<NetworkInterface> all = Collections.list(NetworkInterface.getNetworkInterfaces());
        all.sort((a, b) -> Integer.compare(a.getIndex(), b.getIndex()));
        return all;
    }

    private static InetAddress ipv4(NetworkInterface nif) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (a instanceof Inet4Address)
                return a;
        }
        return null;
    }
}
