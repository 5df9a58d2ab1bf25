package io.fabricstitch.agent.rdma;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The host's RDMA devices, as the kernel lists them under {@code /sys/class/infiniband} (InfiniBand, RoCE and iWARP
 * adapters alike, e.g. {@code mlx5_0}). A missing folder means none. Stateless.
 */
public final class RdmaDevices {
    private RdmaDevices() {
    }

    /** The device names under {@code <sysfsRoot>/class/infiniband}, sorted; empty when there are none. */
    public static List<String> list(Path sysfsRoot) {
        Path dir = sysfsRoot.resolve("class").resolve("infiniband");
        if (!Files.isDirectory(dir))
            return List.of();
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        catch (IOException e) {
            return List.of();
        }
        Collections.sort(names);
        return List.copyOf(names);
    }
}
