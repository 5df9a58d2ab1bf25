package io.fabricstitch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host without an OpenCL platform: the probe says why in one line, and nothing else changes. Runs the agent in a JVM
 * of its own whose ICD loader looks in an empty vendors folder ({@code OCL_ICD_VENDORS}).
 */
class OpenClAbsentTest {
    @TempDir
    Path dir;

    @Test
    void withoutAPlatform_theProbeSaysWhyOnce_andTheCpuFabricKeepsEveryCore() throws Exception {
        Path vendors = Files.createDirectory(dir.resolve("vendors"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), AgentWithoutOpenClMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile());
        pb.environment().put("OCL_ICD_VENDORS", vendors.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the agent's JVM did not end in 60 s");
        String out = read("out");
        String err = read("err");
        assertEquals(0, p.exitValue(), out + err);
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals("fabric CPU " + cores + " JAVA\n", out, err);
        List<String> lines = err.lines().filter(l -> l.contains("probe opencl")).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).endsWith("probe opencl: no fabric (opencl: no OpenCL platform installed (expected: "
            + "an ICD under /etc/OpenCL/vendors, e.g. a GPU driver's or Debian's pocl-opencl-icd))"), lines.get(0));
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }
}
