package io.fabricstitch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An application needs only the API packages (README, "The API"): the examples, examples/own-closure included, use
 * nothing else of Fabric Stitch, so an application written like them compiles against the API alone.
 */
class ApiOnlyExamplesTest {
    /** The packages an application may use: the README's API table. */
    static final Set<String> API = Set.of("io.fabricstitch.ignite", "io.fabricstitch.ignite.compute", "io.fabricstitch.ignite.plugin",
        "io.fabricstitch.model", "io.fabricstitch.function");

    /**
     * Files that are tools rather than applications: device-check runs the agent's probes itself to say what this
     * host offers.
     */
    private static final Set<String> TOOLS = Set.of("DeviceCheck.java");

    @Test
    void examplesUseOnlyTheApiPackages() {
        SourcePackages examples = SourcePackages.of(List.of(Path.of("src/main/java"),
            Path.of("own-closure/src/main/java")));
        assertFalse(examples.uses.isEmpty(), "read no example sources");
        List<String> outside = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<SourcePackages.Use>>> from : examples.uses.entrySet()) {
            for (Map.Entry<String, List<SourcePackages.Use>> to : from.getValue().entrySet()) {
                if (!isFabricStitch(to.getKey()) || API.contains(to.getKey()) || examples.uses.containsKey(to.getKey()))
                    continue;
                for (SourcePackages.Use u : to.getValue()) {
                    if (!TOOLS.contains(u.file.getFileName().toString()))
                        outside.add(u.toString());
                }
            }
        }
        assertEquals(List.of(), outside, "examples using Fabric Stitch outside the API packages " + API);
    }

    private static boolean isFabricStitch(String pkg) {
        return pkg.startsWith("io.fabricstitch.");
    }
}
