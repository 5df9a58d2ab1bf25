package io.fabricstitch.function.process;

import static io.fabricstitch.function.process.ProcessFixtures.declared;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FabricType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessFunctionTest {
    @TempDir
    Path tmp;

    private String refusal(ProcessFunction f) {
        return assertThrows(IllegalArgumentException.class, () -> f.toFunction(Map.of(), tmp)).getMessage();
    }

    @Test
    void describesItselfAsAProcessRunningTheConfiguredCommandLine() {
        AccelerationFunction f = declared("checksum", "sha256sum", "{input}").setDescription("SHA-256 by coreutils")
            .setFabricTypes(List.of(FabricType.GPU, FabricType.CPU)).toFunction(Map.of(), tmp);
        assertEquals("checksum", f.name());
        assertEquals(FabricRuntime.PROCESS, f.runtime());
        assertEquals("sha256sum {input}", f.implementation());
        assertEquals(Set.of(FabricType.GPU, FabricType.CPU), f.fabricTypes());
        assertEquals("SHA-256 by coreutils", f.description());
    }

    @Test
    void defaultsToTenMinutesAndNoExtraVariables() {
        ProcessFunction f = new ProcessFunction();
        assertEquals(600_000, f.getTimeoutMs());
        assertTrue(f.getEnvironment().isEmpty());
        assertEquals("", f.getDescription());
    }

    @Test
    void refusesAnUnknownPlaceholder_namingTheAcceptedOnes() {
        assertEquals("processFunctions element 'p': command: placeholder '{inptu}' in argument 2 'in={inptu}' "
            + "(expected: {input}, {output} or {dir})", refusal(declared("p", "tool", "-v", "in={inptu}")));
    }

    @Test
    void refusesAnEmptyCommand() {
        assertEquals("processFunctions element 'p': command: [] (expected: the program followed by its arguments, "
            + "e.g. [sha256sum, {input}])", refusal(declared("p")));
    }

    @Test
    void refusesAPlaceholderAsTheProgram() {
        assertEquals("processFunctions element 'p': command: program '{dir}/run.sh' (expected: a program name or "
            + "path without placeholders; {input}, {output} or {dir} go in the arguments)",
            refusal(declared("p", "{dir}/run.sh")));
    }

    @Test
    void refusesAVariableTheDeviceBindingSets() {
        String cuda = refusal(declared("p", "env").setEnvironment(Map.of("CUDA_VISIBLE_DEVICES", "0")));
        assertTrue(cuda.startsWith("processFunctions element 'p': environment: key 'CUDA_VISIBLE_DEVICES' "
            + "(expected: none of [CUDA_DEVICE_ORDER, CUDA_VISIBLE_DEVICES, "), cuda);
        assertTrue(cuda.endsWith("] nor starting with FABRIC_: the call's device binding sets those)"), cuda);
        assertTrue(refusal(declared("p", "env").setEnvironment(Map.of("FABRIC_ID", "x")))
            .startsWith("processFunctions element 'p': environment: key 'FABRIC_ID' (expected: none of ["));
    }

    @Test
    void refusesAKeyThatIsNoVariableName() {
        assertEquals("processFunctions element 'p': environment: key '1-BAD' (expected: a variable name of letters, "
            + "digits and '_', not starting with a digit)",
            refusal(declared("p", "env").setEnvironment(Map.of("1-BAD", "x"))));
    }

    @Test
    void refusesATimeoutOutsideOneMillisecondToADay() {
        assertEquals("processFunctions element 'p': timeoutMs: 0 (expected: 1..86400000)",
            refusal(declared("p", "env").setTimeoutMs(0)));
        assertEquals("processFunctions element 'p': timeoutMs: 86400001 (expected: 1..86400000)",
            refusal(declared("p", "env").setTimeoutMs(86_400_001)));
    }

    @Test
    void refusesADeclarationWithoutFabricTypes() {
        assertEquals("processFunctions element 'p': fabricTypes: [] (expected: one or more of [GPU, FPGA, ASIC, "
            + "CPU])", refusal(declared("p", "env").setFabricTypes(null)));
    }

    @Test
    void refusesAWorkingDirectoryThatDoesNotExist() {
        String missing = tmp.resolve("missing").toString();
        assertEquals("processFunctions element 'p': workingDirectory: '" + missing + "' (expected: an existing "
            + "directory, or unset for the call's own temporary directory)",
            refusal(declared("p", "pwd").setWorkingDirectory(missing)));
    }

    @Test
    void refusesAnInvalidName() {
        assertEquals("processFunctions element 'video h264': name: 'video h264' (expected: 1-128 letters, digits, "
            + "'.', '_' or '-', starting with a letter or digit)", refusal(declared("video h264", "ffmpeg")));
    }
}
