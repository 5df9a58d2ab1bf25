package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.test.AppClasses;
import io.fabricstitch.ignite.test.ChildNodeProcess;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application's own closure, whose class exists only in the caller (compiled at test time, on no class path),
 * runs through {@link FabricCompute#call} on a server in a JVM of its own when every node has Ignite's peer class
 * loading on: the server loads the closure's classes from the caller.
 */
class UserClosurePeerLoadingTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final String CLOSURE = "app.p2p.Digest";

    static AppClasses app;
    static ChildNodeProcess server;
    static Ignite caller;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createDirectories(CLUSTER.workDirectory().resolve("app"));
        app = AppClasses.compile(dir, Map.of(CLOSURE, AppClasses.closureSource(CLOSURE)));
        assertThrows(ClassNotFoundException.class, () -> Class.forName(CLOSURE), "on the test class path");
        server = CLUSTER.startChild(ChildNodeProcess.Spec.named("p2p-server")
            .declared("p2p-gpu:GPU:1024:MiB:1:1:sha256").peerClassLoading());
        caller = CLUSTER.start(CLUSTER.configuration("p2p-caller", new FabricPluginConfiguration())
            .setClientMode(true).setPeerClassLoadingEnabled(true));
        Timing.await("the server's GPU ONLINE in the caller's map", () -> FabricPlugin.of(caller).fabricMap().stream()
            .anyMatch(f -> f.getFabricType() == FabricType.GPU && f.getStatus() == FabricStatus.ONLINE));
    }

    static TaskRequest onGpu() {
        return TaskRequest.builder("sha256").require(FabricType.GPU, 1).timeout(Duration.ofSeconds(30)).build();
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Checks that {@code result} came from the server's JVM, on its GPU, with the right digest of {@code text}. */
    static void assertRanOnServer(String result, String text) throws Exception {
        List<String> parts = List.of(result.split(" "));
        assertEquals(3, parts.size(), result);
        assertEquals(String.valueOf(server.pid()), parts.get(0), "pid of the JVM the closure ran in");
        assertNotEquals(String.valueOf(ProcessHandle.current().pid()), parts.get(0));
        assertEquals("p2p-gpu_(declared)", parts.get(1));
        assertEquals(sha256(text), parts.get(2));
    }

    @Test
    void callRunsAClosureOnlyTheCallerHas_onAServerThatPeerLoadsIt() throws Exception {
        IgniteCallable<String> job = app.newInstance(CLOSURE, "hello, fabric");
        assertRanOnServer(FabricCompute.of(caller).call(onGpu(), job), "hello, fabric");
    }

    @Test
    void callAsyncRunsItToo() throws Exception {
        IgniteCallable<String> job = app.newInstance(CLOSURE, "async");
        assertRanOnServer(FabricCompute.of(caller).callAsync(onGpu(), job).get(30, TimeUnit.SECONDS), "async");
    }
}
