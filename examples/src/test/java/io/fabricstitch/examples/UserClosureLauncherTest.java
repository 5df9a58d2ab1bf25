package io.fabricstitch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.plugin.FabricPluginProvider;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.test.AppClasses;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.Ignition;
import org.apache.ignite.lang.IgniteCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With Ignite's peer class loading off (the shipped configurations), an application's own closure runs on a server
 * started by the real {@code bin/fabric node} when its jar is in that server's {@code <home>/lib/ext} or given with
 * {@code --classpath}; a closure in neither reaches the caller as a missing class, with both ways to fix it. The
 * closures are compiled at test time and are on no class path of this JVM or of the servers' launcher.
 */
class UserClosureLauncherTest {
    static final String IN_JAR = "app.shipped.Digest";
    static final String NOWHERE = "app.unshipped.Digest";
    static final Path SCRIPT = Path.of("../bin/fabric");
    static final Path JVM_OPTIONS = Path.of("target/fabric.jvm-options");
    static final Path LOGGING = Path.of("../config/java.util.logging.properties");
    static final Path SERVER_CONFIG = Path.of("../config/fabric-server.xml");
    /** The separate application project of the README's example, whose closure this build never compiles. */
    static final Path EXAMPLE_SOURCES = Path.of("own-closure/src/main/java");
    static final String EXAMPLE_JOB = "com.example.digest.DigestJob";

    @TempDir
    static Path dir;

    static AppClasses app;
    static final List<Process> servers = new ArrayList<>();
    static Process extServer;
    static Process classpathServer;
    static Ignite caller;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> sources = new java.util.HashMap<>(exampleSources());
        sources.put(IN_JAR, AppClasses.closureSource(IN_JAR));
        sources.put(NOWHERE, AppClasses.closureSource(NOWHERE));
        app = AppClasses.compile(dir.resolve("app"), sources);
        Path jar = app.jar(dir.resolve("app.jar"), "app.shipped.", "com.example.");
        Path extHome = home("ext-home");
        Files.copy(jar, extHome.resolve("lib/ext/app.jar"));
        Path cpHome = home("cp-home");
        CompletableFuture<Process> ext = CompletableFuture.supplyAsync(() -> node(extHome, "ext-fpga", "FPGA"));
        CompletableFuture<Process> cp = CompletableFuture.supplyAsync(() -> node(cpHome, "cp-gpu", "GPU",
            "--classpath", jar.toString()));
        extServer = ext.join();
        classpathServer = cp.join();
        int d = FabricTestCluster.DISCOVERY_PORT;
        caller = Ignition.start(FabricTestCluster.nodeConfiguration("closure-caller", "127.0.0.1",
            List.of("127.0.0.1:" + d + ".." + (d + 9)), dir.resolve("caller-work")).setClientMode(true)
            .setClientConnectorConfiguration(null).setPluginProviders(new FabricPluginProvider()));
        Timing.await("both servers' fabrics ONLINE in the caller's map", () -> FabricPlugin.of(caller).fabricMap()
            .stream().filter(f -> f.getStatus() == FabricStatus.ONLINE && (f.getFabricType() == FabricType.GPU
                || f.getFabricType() == FabricType.FPGA)).count() == 2);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (caller != null)
            Ignition.stop(caller.name(), true);
        for (Process p : servers)
            p.destroyForcibly();
        for (Process p : servers)
            p.waitFor(30, TimeUnit.SECONDS);
    }

    /** The example application's sources, by class name. */
    static Map<String, String> exampleSources() throws IOException {
        Map<String, String> sources = new java.util.HashMap<>();
        try (java.util.stream.Stream<Path> files = Files.walk(EXAMPLE_SOURCES)) {
            for (Path f : (Iterable<Path>)files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String name = EXAMPLE_SOURCES.relativize(f).toString().replace('/', '.');
                sources.put(name.substring(0, name.length() - ".java".length()), Files.readString(f));
            }
        }
        assertTrue(sources.containsKey(EXAMPLE_JOB), () -> "no " + EXAMPLE_JOB + " in " + EXAMPLE_SOURCES);
        return sources;
    }

    /** A fabric home of its own: the real script, the build's JVM options, the logging settings, lib/ext. */
    static Path home(String name) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("examples/target"));
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("lib/ext"));
        Path script = Files.copy(SCRIPT, home.resolve("bin/fabric"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(JVM_OPTIONS, home.resolve("examples/target/fabric.jvm-options"));
        Files.copy(LOGGING, home.resolve("config/java.util.logging.properties"));
        return home;
    }

    /**
     * Runs {@code <home>/bin/fabric node} on a copy of {@code config/fabric-server.xml} with this test's ports and one
     * declared fabric, and waits until it says it is up. The launcher runs from this JVM's class path (the jar is not
     * packaged yet when tests run), which holds none of the application's classes.
     */
    static Process node(Path home, String fabric, String type, String... more) {
        try {
            Path config = serverConfig(home, fabric, type);
            List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/fabric").toString(), "node", "--config",
                config.toString()));
            cmd.addAll(List.of(more));
            Path log = home.resolve("node.log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("FABRIC_LAUNCHER_CLASSPATH", System.getProperty("java.class.path"));
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("FABRIC_JAVA_OPTS", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
            Process p = pb.start();
            synchronized (servers) {
                servers.add(p);
            }
            Timing.await(fabric + "'s node up", Duration.ofMillis(Timing.scaled(90_000)),
                () -> !p.isAlive() || read(log).contains("Fabric Stitch node "), () -> read(log));
            assertTrue(p.isAlive(), () -> "bin/fabric node exited:\n" + read(log));
            return p;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        catch (IOException e) {
            return e.toString();
        }
    }

    static Path serverConfig(Path home, String fabric, String type) throws IOException {
        String xml = ExampleTestConfigs.onPorts(Files.readString(SERVER_CONFIG), home,
            FabricTestCluster.DISCOVERY_PORT, FabricTestCluster.COMMUNICATION_PORT, FabricTestCluster.CLIENT_PORT);
        xml = ExampleTestConfigs.replace(xml, "<property name=\"realProbesEnabled\" value=\"true\"/>",
            "<property name=\"realProbesEnabled\" value=\"false\"/>\n"
                + "<property name=\"claimDirectory\" value=\"" + home.resolve("claims") + "\"/>\n"
                + "<property name=\"deviceAllowList\"><list><value>declared:" + fabric + "</value></list></property>\n"
                + "<property name=\"declaredFabrics\"><list>"
                + "<bean class=\"io.fabricstitch.agent.DeclaredFabric\">"
                + "<property name=\"name\" value=\"" + fabric + "\"/>"
                + "<property name=\"type\" value=\"" + type + "\"/>"
                + "<property name=\"model\" value=\"" + fabric + " (declared)\"/>"
                + "<property name=\"resourceUnit\" value=\"units\"/>"
                + "<property name=\"resourceCount\" value=\"100\"/>"
                + "<property name=\"functions\"><list><value>sha256</value></list></property>"
                + "</bean></list></property>");
        xml = ExampleTestConfigs.set(xml, "network", "<property name=\"agentPort\" value=\"0\"/>\n"
            + "<property name=\"beaconsEnabled\" value=\"false\"/>");
        xml = ExampleTestConfigs.set(xml, "dataPath", "<property name=\"stagingDirectory\" value=\""
            + home.resolve("staging") + "\"/>\n<property name=\"port\" value=\"0\"/>");
        xml = ExampleTestConfigs.set(xml, "console", "<property name=\"port\" value=\"0\"/>");
        Path file = home.resolve("server.xml");
        Files.writeString(file, xml);
        return file;
    }

    static TaskRequest on(FabricType type) {
        return TaskRequest.builder("sha256").require(type, 1).timeout(Duration.ofSeconds(30)).build();
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static void assertRanIn(Process server, String model, String result, String text) throws Exception {
        assertEquals(server.pid() + " " + model + " " + sha256(text), result);
    }

    @Test
    void closureInLibExt_runsOnItsServer_withPeerClassLoadingOff() throws Exception {
        assertFalse(caller.configuration().isPeerClassLoadingEnabled());
        IgniteCallable<String> job = app.newInstance(IN_JAR, "from lib/ext");
        assertRanIn(extServer, "ext-fpga_(declared)", FabricCompute.of(caller).call(on(FabricType.FPGA), job),
            "from lib/ext");
    }

    @Test
    void theOwnClosureExample_runsOnAServerThatHasItsJar_andUsesTheFabricsFunction() throws Exception {
        IgniteCallable<String> job = app.newInstance(EXAMPLE_JOB, "an application's own text");
        String answer = FabricCompute.of(caller).call(on(FabricType.FPGA), job);
        assertEquals(sha256("an application's own text") + " on ext-fpga (declared) of node ", answer.substring(0,
            answer.indexOf(" of node ") + " of node ".length()), answer);
    }

    @Test
    void closureOnClasspathOption_runsOnItsServer_withPeerClassLoadingOff() throws Exception {
        IgniteCallable<String> job = app.newInstance(IN_JAR, "from --classpath");
        assertRanIn(classpathServer, "cp-gpu_(declared)", FabricCompute.of(caller).callAsync(on(FabricType.GPU), job)
            .get(30, TimeUnit.SECONDS), "from --classpath");
    }

    @Test
    void closureOnNoServer_reachesTheCallerAsAMissingClass_withBothFixes() {
        IgniteCallable<String> job = app.newInstance(NOWHERE, "lost");
        IgniteException e = assertThrows(IgniteException.class, () -> FabricCompute.of(caller)
            .call(on(FabricType.GPU), job));
        String msg = e.getMessage();
        assertTrue(msg.contains("failed on GPU cp-gpu (declared)"), msg);
        assertTrue(msg.contains("class " + NOWHERE + " is not on the servers' class path"), msg);
        assertTrue(msg.contains("peerClassLoadingEnabled=true on every node"), msg);
        assertTrue(msg.contains("<fabric home>/lib/ext") && msg.contains("bin/fabric node --classpath"), msg);
        assertFalse(msg.contains("\tat ") || msg.contains("\n"), "one line, no stack trace: " + msg);
    }
}
