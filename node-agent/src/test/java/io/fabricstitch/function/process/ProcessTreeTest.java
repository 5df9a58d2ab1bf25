package io.fabricstitch.function.process;

import static io.fabricstitch.function.process.ProcessFixtures.anyInProc;
import static io.fabricstitch.function.process.ProcessFixtures.pids;
import static io.fabricstitch.function.process.ProcessFixtures.procStates;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.testing.Await;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTreeTest {
    @TempDir
    Path tmp;

    @Test
    void killsNestedSubshellsDeepestFirst_leavingNoZombie() throws Exception {
        Path file = tmp.resolve("pids");
        String script = "(exec sh -c 'sleep 60 & echo $! >> \"$0\"; echo $$ >> \"$0\"; wait' \"$0\") & "
            + "sleep 60 & echo $! >> \"$0\"; echo $$ >> \"$0\"; wait";
        Process shell = new ProcessBuilder("sh", "-c", script, file.toString()).start();
        Await.until("the tree to record its pids", () -> pids(file).size() == 4, () -> pids(file));
        int killed = ProcessTree.kill(shell);
        assertFalse(shell.isAlive());
        assertTrue(killed >= 2, "killed " + killed);
        List<String> pids = pids(file);
        assertFalse(anyInProc(pids), procStates(pids));
    }
}
