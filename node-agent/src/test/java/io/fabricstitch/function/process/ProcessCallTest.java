package io.fabricstitch.function.process;

import static io.fabricstitch.function.process.ProcessFixtures.FABRIC_ID;
import static io.fabricstitch.function.process.ProcessFixtures.anyInProc;
import static io.fabricstitch.function.process.ProcessFixtures.context;
import static io.fabricstitch.function.process.ProcessFixtures.declared;
import static io.fabricstitch.function.process.ProcessFixtures.entries;
import static io.fabricstitch.function.process.ProcessFixtures.pids;
import static io.fabricstitch.function.process.ProcessFixtures.pollutedEnvironment;
import static io.fabricstitch.function.process.ProcessFixtures.procStates;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.testing.Await;
import io.fabricstitch.function.FunctionCancelledException;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.StreamingFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real programs run through process functions: sha256sum, sh, cat, sleep, env, pwd. */
class ProcessCallTest {
    /** Writes the pids of two background sleeps and of the shell itself to the file "$0", then waits for both. */
    private static final String TREE = "sleep 60 & echo $! > \"$0\"; sleep 60 & echo $! >> \"$0\"; echo $$ >> \"$0\"; "
        + "wait";

    @TempDir
    Path tmp;

    private Path calls;
    private Path pidFile;

    @BeforeEach
    void paths() {
        calls = tmp.resolve("calls");
        pidFile = tmp.resolve("tree.pids");
    }

    @AfterEach
    void everyCallDirectoryIsDeleted() throws IOException {
        assertEquals(List.of(), entries(calls), "call directories left under the temp root");
    }

    private StreamingFunction function(ProcessFunction f) {
        return f.toFunction(pollutedEnvironment(), calls);
    }

    private byte[] run(ProcessFunction f, byte[] input) throws FunctionException {
        return function(f).execute(context(), input);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void sha256sumDigestsTheInputOnStdin_whenTheCommandHasNoPlaceholders() throws Exception {
        byte[] input = "fabric stitch".repeat(1000).getBytes(StandardCharsets.UTF_8);
        String out = text(run(declared("checksum", "sha256sum"), input));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input)) + "  -\n", out);
    }

    @Test
    void programReadsInputAndWritesOutputFiles_whenTheCommandNamesThem() throws Exception {
        byte[] input = "fabric stitch".getBytes(StandardCharsets.UTF_8);
        String out = text(run(declared("checksum", "sh", "-c", "echo stdout is discarded; cat; "
            + "sha256sum < \"$1\" > \"$2\"", "sh", "{input}", "{output}"), input));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input)) + "  -\n", out);
    }

    @Test
    void programSeesItsOwnDeviceAndTheConfiguredVariables_andNoInheritedSelection() throws Exception {
        String out = text(run(declared("show-env", "env").setEnvironment(Map.of("MODEL_DIR", "/models")),
            new byte[0]));
        Map<String, String> env = Arrays.stream(out.split("\n")).filter(l -> l.contains("="))
            .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
        assertEquals(FABRIC_ID.toString(), env.get("FABRIC_ID"));
        assertEquals("GPU-1111", env.get("CUDA_VISIBLE_DEVICES"));
        assertEquals("GPU-1111", env.get("NVIDIA_VISIBLE_DEVICES"));
        assertEquals("/models", env.get("MODEL_DIR"));
        assertFalse(env.containsKey("ROCR_VISIBLE_DEVICES"), out);
        assertFalse(env.containsKey("FABRIC_FOO"), out);
        assertEquals(System.getenv("PATH"), env.get("PATH"));
    }

    @Test
    void nonZeroExitFails_namingTheCodeAndTheLastStderrLines() {
        FunctionException e = assertThrows(FunctionException.class, () -> run(declared("fails", "sh", "-c",
            "echo starting >&2; echo 'no CUDA device' >&2; exit 3"), new byte[0]));
        assertEquals("process function fails: sh exited with code 3 on fabric " + FABRIC_ID + " (NVIDIA A100); "
            + "stderr (last 2 lines): starting | no CUDA device", e.getMessage());
    }

    @Test
    void keepsOnlyTheLast20StderrLines_whenTheProgramPrintsMany() {
        FunctionException e = assertThrows(FunctionException.class, () -> run(declared("noisy", "sh", "-c",
            "i=1; while [ $i -le 1000 ]; do echo \"line $i\" >&2; i=$((i + 1)); done; exit 1"), new byte[0]));
        String tail = e.getMessage().substring(e.getMessage().indexOf("stderr"));
        assertTrue(tail.startsWith("stderr (last 20 lines): line 981 | line 982 | "), tail);
        assertTrue(tail.endsWith(" | line 1000"), tail);
        assertFalse(tail.contains("line 980 "), tail);
    }

    @Test
    void timeoutKillsTheWholeTree_leavingNoZombie() {
        FunctionException e = assertThrows(FunctionException.class, () -> run(declared("hangs", "sh", "-c", TREE,
            pidFile.toString()).setTimeoutMs(3000), new byte[0]));
        assertFalse(e instanceof FunctionCancelledException);
        assertEquals("process function hangs: sh did not finish within 3000 ms on fabric " + FABRIC_ID
            + " (NVIDIA A100); killed it and 2 descendant process(es)", e.getMessage());
        assertTreeGone();
    }

    @Test
    void cancelKillsTheWholeTree_leavingNoZombie() {
        AtomicBoolean cancelled = new AtomicBoolean();
        CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
            Await.until("the shell to record its pids", () -> pids(pidFile).size() == 3);
            cancelled.set(true);
        });
        StreamingFunction f = function(declared("hangs", "sh", "-c", TREE, pidFile.toString()).setTimeoutMs(20_000));
        FunctionContext ctx = context(cancelled::get);
        FunctionCancelledException e = assertThrows(FunctionCancelledException.class,
            () -> f.execute(ctx, new byte[0]));
        canceller.join();
        assertEquals("process function hangs: cancelled on fabric " + FABRIC_ID + " (NVIDIA A100); killed sh and 2 "
            + "descendant process(es)", e.getMessage());
        assertTreeGone();
    }

    @Test
    void interruptKillsTheWholeTree_andKeepsTheInterruptFlag() throws Exception {
        StreamingFunction f = function(declared("hangs", "sh", "-c", TREE, pidFile.toString()).setTimeoutMs(20_000));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                f.execute(context(), new byte[0]);
                outcome.complete(null);
            }
            catch (Throwable t) {
                outcome.complete(Thread.currentThread().isInterrupted() ? t : new AssertionError("flag lost", t));
            }
        }, "process-caller");
        caller.start();
        Await.until("the shell to record its pids", () -> pids(pidFile).size() == 3);
        caller.interrupt();
        Throwable t = outcome.join();
        assertTrue(t instanceof FunctionCancelledException, String.valueOf(t));
        assertTrue(t.getMessage().startsWith("process function hangs: interrupted on fabric "), t.getMessage());
        assertTreeGone();
    }

    /** Once the call has returned, the shell and both sleeps are reaped: none is left running or as a zombie. */
    private void assertTreeGone() {
        List<String> pids = pids(pidFile);
        assertEquals(3, pids.size(), pids.toString());
        assertFalse(anyInProc(pids), procStates(pids));
    }

    @Test
    void deletesEverythingTheProgramWroteToItsDirectory() throws Exception {
        byte[] out = run(declared("scratch", "sh", "-c", "mkdir -p \"$0/sub/deeper\" && echo x > \"$0/sub/deeper/f\" "
            + "&& chmod 500 \"$0/sub\" && cat", "{dir}"), "kept".getBytes(StandardCharsets.UTF_8));
        assertEquals("kept", text(out));
    }

    @Test
    void streamsALargeInputThroughTheProgram() throws Exception {
        long size = 64L << 20;
        GeneratedInput in = new GeneratedInput(size);
        DigestingOutput out = new DigestingOutput();
        function(declared("copy", "cat")).execute(context(), in, out);
        assertEquals(size, out.count());
        assertArrayEquals(in.digest(), out.digest());
    }

    @Test
    void runsInTheConfiguredWorkingDirectory_elseInTheCallsOwn() throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        assertEquals(work.toRealPath() + "\n", text(run(declared("where", "pwd")
            .setWorkingDirectory(work.toString()), new byte[0])));
        String own = text(run(declared("where", "pwd"), new byte[0]));
        assertTrue(own.startsWith(calls.toRealPath().resolve("where-").toString()), own);
    }

    @Test
    void failsNamingTheProgram_whenItCannotBeStarted() {
        FunctionException e = assertThrows(FunctionException.class,
            () -> run(declared("missing", "no-such-program-7f3a"), new byte[0]));
        assertTrue(e.getMessage().startsWith("process function missing: cannot start 'no-such-program-7f3a' on "
            + "fabric " + FABRIC_ID + " (NVIDIA A100) ("), e.getMessage());
        assertTrue(e.getMessage().endsWith(") (expected: an executable on the node's PATH or an absolute path)"),
            e.getMessage());
    }

    @Test
    void failsWhenTheProgramNamesOutputButWritesNoFile() {
        FunctionException e = assertThrows(FunctionException.class,
            () -> run(declared("lazy", "sh", "-c", "exit 0", "sh", "{output}"), new byte[0]));
        assertEquals("process function lazy: sh exited with code 0 on fabric " + FABRIC_ID + " (NVIDIA A100) but "
            + "wrote no output file (expected: the program writes its result to the path given for {output})",
            e.getMessage());
    }

    @Test
    void refusesToStart_whenTheCallIsAlreadyCancelled() {
        StreamingFunction f = function(declared("never", "sh", "-c", "echo ran > \"$0\"", pidFile.toString()));
        assertThrows(FunctionCancelledException.class, () -> f.execute(context(() -> true), new byte[0]));
        assertFalse(Files.exists(pidFile));
    }
}
