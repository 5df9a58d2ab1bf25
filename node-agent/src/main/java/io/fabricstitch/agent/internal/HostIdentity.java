package io.fabricstitch.agent.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The identity of this host, and the stable fabric ids derived from it. Not API.
 * <p>
 * The host id is {@code /etc/machine-id} (systemd; stable across reboots), else the host name. A fabric id is a
 * name-based UUID of host id and device key, so the same device on the same host keeps its id across restarts.
 */
public final class HostIdentity {
    private HostIdentity() {
    }

    /** This host's id: the machine id when readable, else the host name. */
    public static String hostId() {
        for (String f : new String[] {"/etc/machine-id", "/var/lib/dbus/machine-id"}) {
            try {
                String id = Files.readString(Path.of(f), StandardCharsets.US_ASCII).trim();
                if (!id.isEmpty())
                    return id;
            }
            catch (IOException | RuntimeException ignored) {
                // Try the next source.
            }
        }
        return hostName();
    }

    /** This host's name, or {@code localhost} when it cannot be resolved. */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (IOException e) {
            return "localhost";
        }
    }

    /** The stable id of the device {@code deviceKey} on host {@code hostId}. */
    public static UUID fabricId(String hostId, String deviceKey) {
        return UUID.nameUUIDFromBytes(("fabric-stitch|" + hostId + '|' + deviceKey).getBytes(StandardCharsets.UTF_8));
    }
}
