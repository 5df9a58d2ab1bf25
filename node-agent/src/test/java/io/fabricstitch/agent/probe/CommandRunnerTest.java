package io.fabricstitch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs({OS.LINUX, OS.MAC})
class CommandRunnerTest {
    @TempDir
    Path tmp;

    private static CommandRunner runner(long millis) {
        return new CommandRunner("tool", Duration.ofMillis(millis));
    }

    private static List<String> sh(String script) {
        return List.of("sh", "-c", script);
    }

    @Test
    void returnsExitCodeAndOutput() throws Exception {
        CommandRunner.Result r = runner(5000).run(sh("echo one; echo two; exit 3"));
        assertEquals(3, r.exitCode());
        assertEquals("one\ntwo\n", r.stdout());
        assertEquals("", r.stderr());
        assertFalse(r.truncated());
        assertEquals("one", r.firstLine());
    }

    @Test
    void capturesStderrSeparately() throws Exception {
        CommandRunner.Result r = runner(5000).run(sh("echo out; echo err >&2"));
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
    }

    @Test
    void firstLineFallsBackToStderrWhenStdoutIsBlank() throws Exception {
        CommandRunner.Result r = runner(5000).run(sh("echo; echo '  failed: no driver  ' >&2; exit 9"));
        assertEquals("failed: no driver", r.firstLine());
    }

    @Test
    void capsOutputAtOneMibAndDrainsTheRest() throws Exception {
        CommandRunner.Result r = runner(10_000).run(sh("head -c 3000000 /dev/zero | tr '\\000' a; echo done >&2"));
        assertEquals(0, r.exitCode());
        assertTrue(r.truncated());
        assertEquals(CommandRunner.MAX_OUTPUT_BYTES, r.stdout().length());
        assertEquals("done\n", r.stderr());
    }

    @Test
    void killsToolAndItsChildrenWhenTheyOutliveTheTimeout() throws Exception {
        Path pidFile = tmp.resolve("child.pid");
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class,
            () -> runner(300).run(sh("sleep 30 & echo $! > '" + pidFile + "'; wait")));
        assertEquals("tool did not answer within 300 ms", e.getMessage());
        long child = Long.parseLong(Files.readString(pidFile).strip());
        Await.until("the tool's child to be killed", () -> !ProcessHandle.of(child).map(ProcessHandle::isAlive)
            .orElse(false));
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "child sleep killed");
    }

    @Test
    void missingProgramIsNotFound() {
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class,
            () -> runner(1000).run(List.of(tmp.resolve("no-such-tool").toString())));
        assertTrue(e.getMessage().startsWith("tool not found: "), e.getMessage());
    }

    @Test
    void programThatCannotBeExecutedCouldNotBeStarted() throws Exception {
        Path plain = Files.writeString(tmp.resolve("not-executable"), "#!/bin/sh\necho hi\n");
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class,
            () -> runner(1000).run(List.of(plain.toString())));
        assertTrue(e.getMessage().startsWith("tool could not be started: "), e.getMessage());
    }

    @Test
    void rejectsNonPositiveTimeout() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new CommandRunner("tool", Duration.ZERO));
        assertEquals("timeout: PT0S (expected: a positive duration)", e.getMessage());
    }
}
