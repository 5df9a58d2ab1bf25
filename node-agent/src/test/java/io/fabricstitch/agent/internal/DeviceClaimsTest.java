package io.fabricstitch.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceClaimsTest {
    @TempDir
    Path dir;

    /** Asks another process (python3's fcntl.lockf, the same POSIX locks as Java's) whether it can lock the file. */
    private static boolean lockableByAnotherProcess(Path file) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", "import fcntl,sys\nf=open(sys.argv[1],'a')\n"
            + "fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)", file.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "python3 did not answer");
        return p.exitValue() == 0;
    }

    private static boolean hasPython() {
        try {
            return new ProcessBuilder("python3", "-c", "import fcntl").start().waitFor() == 0;
        }
        catch (Exception e) {
            return false;
        }
    }

    @Test
    void secondNodeOfTheJvmIsRefused_andItsAttemptKeepsTheFirstNodesOsLock() throws Exception {
        assumeTrue(hasPython(), "python3 with fcntl is needed to look at the lock from another process");
        DeviceClaims first = new DeviceClaims(dir, "n0");
        DeviceClaims second = new DeviceClaims(dir, "n1");
        assertEquals(DeviceClaims.Outcome.CLAIMED, first.tryClaim("pci:0000:3b:00.0"));
        assertEquals(DeviceClaims.Outcome.HELD_BY_OTHER, second.tryClaim("pci:0000:3b:00.0"));
        assertTrue(second.holderOf("pci:0000:3b:00.0").startsWith("n0 pid "), second.holderOf("pci:0000:3b:00.0"));
        Path file = dir.resolve(DeviceClaims.fileName("pci:0000:3b:00.0"));
        assertTrue(Files.exists(file));
        assertEquals(false, lockableByAnotherProcess(file), "the OS lock of n0 must survive n1's attempt");
        first.releaseAll();
        assertEquals(true, lockableByAnotherProcess(file));
        assertEquals(DeviceClaims.Outcome.CLAIMED, second.tryClaim("pci:0000:3b:00.0"));
        second.releaseAll();
    }
}
