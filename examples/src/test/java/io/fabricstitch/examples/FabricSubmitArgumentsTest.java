package io.fabricstitch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code bin/fabric submit} refuses bad arguments before it starts a node: one line naming the option, then the usage,
 * exit 2; and it gives up on a cluster it cannot reach within the join timeout.
 */
class FabricSubmitArgumentsTest {
    static final String CLIENT_CONFIG = "../config/fabric-client.xml";

    @TempDir
    static Path dir;

    static Path input;

    @BeforeAll
    static void writeInput() throws IOException {
        input = Files.write(dir.resolve("in.bin"), new byte[] {1, 2, 3});
    }

    /** A valid submit with {@code option} set to {@code value} (null: left out), then {@code extra}. */
    static String[] submit(String option, String value, String... extra) {
        List<String> args = new ArrayList<>(List.of("submit"));
        String[][] valid = {{"function", "sha256"}, {"require", "ASIC:1"}, {"input", input.toString()},
            {"output", dir.resolve("out.bin").toString()}, {"config", CLIENT_CONFIG}};
        boolean replaced = false;
        for (String[] kv : valid) {
            if (kv[0].equals(option)) {
                replaced = true;
                if (value == null)
                    continue;
                args.add("--" + option);
                args.add(value);
            }
            else {
                args.add("--" + kv[0]);
                args.add(kv[1]);
            }
        }
        if (!replaced && option != null) {
            args.add("--" + option);
            args.add(value);
        }
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
            Arguments.of("function", null, "submit needs --function NAME (e.g. sha256, deflate, image.gaussian-blur, "
                + "matmul.f32)"),
            Arguments.of("function", "blur image", "--function: 'blur image' (expected: 1-128 letters, digits"),
            Arguments.of("require", null, "submit needs --require TYPE:AMOUNT, e.g. GPU:2048, GPU|FPGA:100 or ANY:1"),
            Arguments.of("require", "TPU:4", "--require: type 'TPU' in 'TPU:4' (expected: GPU, FPGA, ASIC, CPU or "
                + "ANY, several joined by '|')"),
            Arguments.of("require", "GPU|:4", "--require: type '' in 'GPU|:4' (expected: GPU, FPGA, ASIC, CPU or ANY"),
            Arguments.of("require", "GPU", "--require: 'GPU' (expected: TYPE:AMOUNT, e.g. GPU:2048, GPU|FPGA:100 or "
                + "ANY:1)"),
            Arguments.of("require", "GPU:0", "--require: amount '0' in 'GPU:0' (expected: a whole number >= 1 of the "
                + "fabric's resource unit"),
            Arguments.of("require", "GPU:-5", "--require: amount '-5' in 'GPU:-5' (expected: a whole number >= 1"),
            Arguments.of("require", "GPU:1.5", "--require: amount '1.5' in 'GPU:1.5' (expected: a whole number >= 1"),
            Arguments.of("require", "GPU:lots", "--require: amount 'lots' in 'GPU:lots' (expected: a whole number"),
            Arguments.of("input", null, "submit needs --input FILE"),
            Arguments.of("input", "no/such/input.png", "--input: no/such/input.png is not a readable file "
                + "(expected: a file with the function's input"),
            Arguments.of("output", "no/such/folder/out.png", "--output: no/such/folder/out.png cannot be written "
                + "(expected: a file in an existing, writable folder)"),
            Arguments.of("timeout", "0", "--timeout: '0' (expected: whole seconds, 1..86400)"),
            Arguments.of("timeout", "soon", "--timeout: 'soon' (expected: whole seconds, 1..86400)"),
            Arguments.of("url", "localhost", "--url: 'localhost' in 'localhost' (expected: host:port or "
                + "host:port..port, several separated by ','"),
            Arguments.of("url", "127.0.0.1:47509..47500", "--url: '127.0.0.1:47509..47500' in "
                + "'127.0.0.1:47509..47500' (expected: host:port"),
            Arguments.of("url", "a:1,b:70000", "--url: 'b:70000' in 'a:1,b:70000' (expected: host:port"),
            Arguments.of("config", "no/such/client.xml", "--config: no/such/client.xml is not a readable file"),
            Arguments.of("priority", "urgent", "--priority: 'urgent' (expected: one of balanced, batch, "
                + "latency-critical)"),
            Arguments.of("colour", "red", "option --colour is not one of submit's (expected: --function, --require, "
                + "--priority, --input, --output, --config, --url, --timeout, --fabric)"));
    }

    @ParameterizedTest(name = "--{0} {1}")
    @MethodSource("badArguments")
    void badArgument_printsOneLineNamingIt_andUsage_andExits2(String option, String value, String message) {
        LauncherRun r = LauncherRun.of(submit(option, value));
        assertEquals(2, r.code, r::toString);
        assertTrue(r.errLines().get(0).startsWith("fabric: " + message), r::toString);
        assertEquals("usage: bin/fabric <command> [options]", r.errLines().get(1), r::toString);
        assertEquals("", r.out, r::toString);
    }

    @Test
    void inputThatIsAFolder_isRefusedAsUnreadable() {
        LauncherRun r = LauncherRun.of(submit("input", dir.toString()));
        assertEquals(2, r.code, r::toString);
        assertTrue(r.errLines().get(0).startsWith("fabric: --input: " + dir + " is not a readable file"), r::toString);
    }

    @Test
    void configWithoutThePlugin_isRefusedByName(@TempDir Path tmp) throws IOException {
        String xml = Files.readString(Path.of(CLIENT_CONFIG))
            .replace("<bean class=\"io.fabricstitch.ignite.plugin.FabricPluginProvider\"/>", "");
        Path config = Files.writeString(tmp.resolve("no-plugin.xml"), xml);
        LauncherRun r = LauncherRun.of(submit("config", config.toString()));
        assertEquals(2, r.code, r::toString);
        assertTrue(r.errLines().get(0).startsWith("fabric: --config: " + config + " has no FabricPluginProvider"),
            r::toString);
    }

    @Test
    void noClusterAtTheUrl_failsWithinTheJoinTimeout_inOneLine_withoutLoggingAStackTrace() {
        List<LogRecord> logged = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue() || record.getThrown() != null)
                    logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(h);
        LauncherRun r;
        try {
            r = LauncherRun.of(Duration.ofMillis(Timing.scaled(2_000)), submit("url", "127.0.0.1:49590"));
        }
        finally {
            root.removeHandler(h);
        }
        assertEquals(1, r.code, r::toString);
        assertEquals(List.of("fabric: no Fabric Stitch cluster reachable at 127.0.0.1:49590 within "
            + SubmitCommand.num(Timing.scaled(2_000) / 1000.0) + " s (expected: a running server node, e.g. bin/fabric "
            + "node --config config/fabric-demo.xml, or --url host:port of one)"), r.errLines());
        assertEquals("", r.out);
        assertEquals(List.of(), logged.stream().map(l -> l.getLoggerName() + ": " + l.getMessage()).toList());
    }

    @Test
    void requirement_parsesOneTypeSeveralTypesAndAny() {
        Requirement one = Requirement.parse("gpu:2048", "--require");
        assertEquals(EnumSet.of(FabricType.GPU), one.types());
        assertEquals(2048, one.amount());
        assertEquals("GPU:2048", one.toString());
        Requirement two = Requirement.parse("FPGA|GPU:100", "--require");
        assertEquals(Set.of(FabricType.GPU, FabricType.FPGA), two.types());
        assertEquals("GPU|FPGA:100", two.toString());
        Requirement any = Requirement.parse("any:1", "--require");
        assertEquals(EnumSet.allOf(FabricType.class), any.types());
        assertEquals("ANY:1", any.toString());
    }

    @Test
    void urls_acceptHostPortRangesSeparatedByCommas() {
        assertEquals(List.of("127.0.0.1:47500..47509", "node-b:47500"),
            ClientNode.parseUrls("127.0.0.1:47500..47509, node-b:47500"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ClientNode.parseUrls("127.0.0.1:47500,"));
        assertTrue(e.getMessage().startsWith("--url: '' in '127.0.0.1:47500,' (expected: host:port"), e.getMessage());
    }
}
