package io.fabricstitch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.examples.api.Examples;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/fabric example}'s arguments: each mistake is refused before any node starts, naming what is accepted. */
class ExampleCommandTest {
    private static final String DEMO_CONFIG = "../config/fabric-demo.xml";

    private static void assertRefused(String message, String... args) {
        LauncherRun r = LauncherRun.of(args);
        assertEquals(2, r.code, r::toString);
        assertEquals("fabric: " + message, r.errLines().get(0), r::toString);
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r);
    }

    @Test
    void anUnknownName_isRefusedNamingEveryExample() {
        assertRefused("example: 'blurr' is not one (expected: one of spi, priorities, sql, blur, failover)", "example",
            "blurr");
        assertRefused("example needs a name (expected: one of spi, priorities, sql, blur, failover)", "example");
        assertRefused("example needs a name (expected: one of spi, priorities, sql, blur, failover)", "example",
            "--url", "127.0.0.1:1");
    }

    @Test
    void anOptionOfAnotherExample_isRefusedNamingThisOnesOptions() {
        assertRefused("option --output is not one of example spi's (expected: --url, --config)", "example", "spi",
            "--output", "x.png");
        assertRefused("option --colour is not one of example blur's (expected: --url, --config, --output, --input, "
            + "--size)", "example", "blur", "--colour", "red");
    }

    @Test
    void badValues_areRefusedByName(@TempDir Path dir) throws Exception {
        assertRefused("--size: '10x10' (expected: WIDTHxHEIGHT, each 16..8000 pixels, e.g. 640x480)", "example", "blur",
            "--size", "10x10", "--config", DEMO_CONFIG);
        assertRefused("--input: no/such.png is not a readable file (expected: a PNG image)", "example", "blur",
            "--input", "no/such.png", "--config", DEMO_CONFIG);
        Path text = Files.writeString(dir.resolve("notes.txt"), "not an image");
        assertRefused("--input: " + text + " is not a PNG image (expected: PNG bytes)", "example", "blur", "--input",
            text.toString(), "--config", DEMO_CONFIG);
        assertRefused("--output: " + dir + " is a folder (expected: the path of the PNG file to write, e.g. "
            + "target/blurred.png)", "example", "blur", "--output", dir.toString(), "--config", DEMO_CONFIG);
        assertTrue(LauncherRun.of("example", "sql", "--url", "nohost").err.startsWith("fabric: --url: 'nohost' in "
            + "'nohost' (expected: "));
        assertTrue(LauncherRun.of("example", "sql", "--config", "no/such.xml").err.startsWith("fabric: --config: "
            + "no/such.xml is not a readable file"));
    }

    @Test
    void help_listsEveryExampleWithItsSummary() {
        LauncherRun r = LauncherRun.of("help");
        assertEquals(0, r.code);
        assertTrue(r.out.contains("example NAME [--url host:port[..port]] [--config FILE] [options of NAME]"), r.out);
        for (var e : Examples.ALL)
            assertTrue(r.out.contains("    " + e.name() + " ") && r.out.contains(e.summary()), e.name() + ":\n" + r.out);
        assertTrue(r.out.contains("--output FILE (default target/blurred.png)"), r.out);
    }
}
