package io.fabricstitch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FabricLauncherTest {
    static final String DEMO_CONFIG = "../config/fabric-demo.xml";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new FabricLauncher(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void wrongArgumentsPrintUsageAndExit2() {
        assertEquals(2, run());
        assertTrue(err().startsWith("fabric: no command given"), err());
        assertTrue(err().contains("usage: bin/fabric <command>"), err());
        err.reset();
        assertEquals(2, run("launch"));
        assertTrue(err().startsWith("fabric: unknown command 'launch' (expected: node, map, demo or help)"), err());
        err.reset();
        assertEquals(2, run("node"));
        assertTrue(err().startsWith("fabric: node needs --config FILE"), err());
        err.reset();
        assertEquals(2, run("demo", "--nodes", "two"));
        assertTrue(err().startsWith("fabric: --nodes: 'two' (expected: a whole number)"), err());
        err.reset();
        assertEquals(2, run("map", "--url"));
        assertTrue(err().startsWith("fabric: option --url needs a value"), err());
        err.reset();
        assertEquals(2, run("map", "--colour", "red"));
        assertTrue(err().startsWith("fabric: option --colour is not one of map's (expected: --url)"), err());
        err.reset();
        assertEquals(2, run("node", "--config", "no/such/file.xml"));
        assertTrue(err().startsWith("fabric: --config: no/such/file.xml is not a readable file"), err());
        err.reset();
        assertEquals(2, run("demo", "--nodes", "2", "--config", DEMO_CONFIG));
        assertTrue(err().startsWith("fabric: --nodes: 2 (expected: 3..10)"), err());
    }

    @Test
    void helpPrintsUsageAndExits0() {
        assertEquals(0, run("help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("demo [--nodes N]"));
    }

    @Test
    void mapWithoutRunningNodeSaysWhatIsMissing() {
        assertEquals(1, run("map", "--url", "jdbc:ignite:thin://127.0.0.1:10799"));
        assertTrue(err().startsWith("fabric: cannot read the Fabric Map at jdbc:ignite:thin://127.0.0.1:10799: "), err());
        assertTrue(err().contains("(expected: a running node"), err());
        assertFalse(err().contains("\tat "), "no stack trace: " + err());
    }

    @Test
    void demoStartsThreeNodes_printsEveryFabricTypeThroughSql_andExits0() {
        assertEquals(0, run("demo", "--config", DEMO_CONFIG), err());
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> mapRows = Arrays.stream(text.split("\\R")).filter(l -> l.startsWith("demo-"))
            .map(l -> l.replaceAll(" +", " ")).collect(Collectors.toList());
        for (String row : List.of("demo-0 | CPU", "demo-0 | GPU | NVIDIA A100 80GB (declared)",
            "demo-0 | GPU | NVIDIA L4 24GB (declared)", "demo-1 | CPU", "demo-1 | FPGA | Xilinx Alveo U250 (declared)",
            "demo-2 | ASIC | SHA-256 hashing ASIC (declared)", "demo-2 | CPU")) {
            assertTrue(mapRows.stream().anyMatch(r -> r.startsWith(row)), row + " missing in:\n" + text);
        }
        assertTrue(mapRows.stream().filter(r -> r.contains("ONLINE")).count() >= 7, text);
        assertTrue(text.contains("Which fabrics run image.gaussian-blur?"), text);
        assertTrue(text.contains("3 server nodes"), text);
    }
}
