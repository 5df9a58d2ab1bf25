package io.fabricstitch.examples;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sockets this JVM listens on, read from Linux's {@code /proc}: TCP sockets in state LISTEN and UDP sockets bound
 * but not connected, matched to this process by the socket inodes its file descriptors name (what
 * {@code ss -lntup} shows for one pid).
 */
final class ListeningSockets {
    private static final Path PROC_NET = Path.of("/proc/self/net");

    private static final Path PROC_FD = Path.of("/proc/self/fd");

    /** TCP_LISTEN in {@code /proc/net/tcp}. */
    private static final String TCP_LISTEN = "0A";

    /** TCP_CLOSE, the state of a UDP socket that is bound but not connected. */
    private static final String UDP_UNCONNECTED = "07";

    private ListeningSockets() {
    }

    /** One listening socket: {@code TCP} or {@code UDP}, its local address as the kernel prints it, and its port. */
    record Socket(String protocol, String address, int port) implements Comparable<Socket> {
        @Override
        public int compareTo(Socket o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return protocol + ' ' + address + ':' + port;
        }
    }

    /** Whether this JVM runs where {@code /proc} tells its sockets (Linux). */
    static boolean available() {
        return Files.isReadable(PROC_NET.resolve("tcp")) && Files.isDirectory(PROC_FD);
    }

    /** The listening sockets of this JVM now. */
    static Set<Socket> ofThisJvm() throws IOException {
        Set<String> inodes = socketInodes();
        Set<Socket> found = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path file = PROC_NET.resolve(table);
            if (!Files.isReadable(file))
                continue;
            String protocol = table.startsWith("tcp") ? "TCP" : "UDP";
            String listening = protocol.equals("TCP") ? TCP_LISTEN : UDP_UNCONNECTED;
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals(listening) && inodes.contains(f[9]))
                    found.add(socket(protocol, f[1]));
            }
        }
        return found;
    }

    /** The inodes of the sockets this process holds a descriptor of ({@code socket:[inode]} links). */
    private static Set<String> socketInodes() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC_FD)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                }
                catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[") && target.endsWith("]"))
                    inodes.add(target.substring(8, target.length() - 1));
            }
        }
        return inodes;
    }

    /** {@code 0100007F:B95C} (little-endian IPv4, or 32 hex digits of IPv6) and the port in hex. */
    private static Socket socket(String protocol, String local) {
        int colon = local.indexOf(':');
        String hex = local.substring(0, colon);
        int port = Integer.parseInt(local.substring(colon + 1), 16);
        if (hex.length() != 8)
            return new Socket(protocol, hex, port);
        long ip = Long.parseLong(hex, 16);
        String address = (ip & 0xFF) + "." + (ip >> 8 & 0xFF) + "." + (ip >> 16 & 0xFF) + "." + (ip >> 24 & 0xFF);
        return new Socket(protocol, address, port);
    }
}
