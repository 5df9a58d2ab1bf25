package io.fabricstitch.function.process;

import io.fabricstitch.function.StreamingFunction;
import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricType;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function that runs an external program on the fabric's device: an {@code ffmpeg} build with NVENC, a PyTorch
 * script, a vendor's FPGA host program. A JavaBean with chaining setters, so it works as a Spring XML bean in the
 * plugin's {@code processFunctions}:
 * <pre>{@code
 * <bean class="io.fabricstitch.function.process.ProcessFunction">
 *     <property name="name" value="video.h264"/>
 *     <property name="fabricTypes"><list><value>GPU</value></list></property>
 *     <property name="command"><list>
 *         <value>ffmpeg</value><value>-hide_banner</value><value>-i</value><value>{input}</value>
 *         <value>-c:v</value><value>h264_nvenc</value><value>-f</value><value>mp4</value><value>{output}</value>
 *     </list></property>
 *     <property name="timeoutMs" value="1800000"/>
 * </bean>
 * }</pre>
 * Each call runs the program once in a fresh temporary directory that is deleted when the call ends. In the
 * arguments {@code {input}} stands for the file holding the input, {@code {output}} for the file the program writes
 * its result to and {@code {dir}} for the call's directory. Without {@code {input}} the program reads the input on
 * stdin; without {@code {output}} its stdout is the output. The program sees the node's environment less every
 * variable that selects a device, plus {@link #getEnvironment()}, plus the call's {@link DeviceBinding#environment()}
 * ({@code CUDA_VISIBLE_DEVICES=GPU-...}, {@code FABRIC_ID}, ...). A program that runs past {@link #getTimeoutMs()}
 * or whose call is cancelled is killed with its descendants, deepest first; one that exits with a non-zero code
 * fails the call with the last lines of its stderr.
 */
public class ProcessFunction {
    /** Default {@link #getTimeoutMs()}: 10 minutes. */
    public static final long DFLT_TIMEOUT_MS = 600_000;

    /** Largest {@link #getTimeoutMs()}: 24 hours. */
    public static final long MAX_TIMEOUT_MS = 86_400_000;

    /** Directory under {@code java.io.tmpdir} that holds the calls' directories of {@link #toFunction()}. */
    public static final String TEMP_DIRECTORY = "fabric-stitch-process";

    private String name;
    private List<FabricType> fabricTypes = new ArrayList<>();
    private List<String> command = new ArrayList<>();
    private String workingDirectory;
    private long timeoutMs = DFLT_TIMEOUT_MS;
    private Map<String, String> environment = new LinkedHashMap<>();
    private String description = "";

    /** The function's registered name (letters, digits, '.', '_', '-'). */
    public String getName() {
        return name;
    }

    public ProcessFunction setName(String name) {
        this.name = name;
        return this;
    }

    /** Fabric types whose devices run it; at least one. */
    public List<FabricType> getFabricTypes() {
        return fabricTypes;
    }

    public ProcessFunction setFabricTypes(List<FabricType> fabricTypes) {
        this.fabricTypes = fabricTypes == null ? new ArrayList<>() : new ArrayList<>(fabricTypes);
        return this;
    }

    /**
     * The program (on the node's PATH, or an absolute path), then its arguments, each passed as it is (no shell); an
     * argument may hold {@code {input}}, {@code {output}} and {@code {dir}}. For a pipeline, run a shell:
     * {@code [sh, -c, 'gzip -9 < "$1" > "$2"', sh, {input}, {output}]}.
     */
    public List<String> getCommand() {
        return command;
    }

    public ProcessFunction setCommand(List<String> command) {
        this.command = command == null ? new ArrayList<>() : new ArrayList<>(command);
        return this;
    }

    /** The directory the program runs in; unset: the call's own temporary directory. Must exist. */
    public String getWorkingDirectory() {
        return workingDirectory;
    }

    public ProcessFunction setWorkingDirectory(String workingDirectory) {
        this.workingDirectory = workingDirectory;
        return this;
    }

    /**
     * Milliseconds one call's program may run before it is killed with its descendants; {@code 1..}{@value
     * #MAX_TIMEOUT_MS}, default {@value #DFLT_TIMEOUT_MS}.
     */
    public long getTimeoutMs() {
        return timeoutMs;
    }

    public ProcessFunction setTimeoutMs(long timeoutMs) {
        this.timeoutMs = timeoutMs;
        return this;
    }

    /**
     * Variables added to the program's environment, e.g. {@code MODEL_DIR}. None may be one the device binding sets:
     * {@link DeviceBinding#SELECTION_VARIABLES} and {@code FABRIC_*}.
     */
    public Map<String, String> getEnvironment() {
        return environment;
    }

    public ProcessFunction setEnvironment(Map<String, String> environment) {
        this.environment = environment == null ? new LinkedHashMap<>() : new LinkedHashMap<>(environment);
        return this;
    }

    /** One line for docs and the map. */
    public String getDescription() {
        return description;
    }

    public ProcessFunction setDescription(String description) {
        this.description = description == null ? "" : description;
        return this;
    }

    /**
     * The function this declaration stands for, started with the node's environment and its call directories under
     * {@code <java.io.tmpdir>/}{@value #TEMP_DIRECTORY}.
     *
     * @throws IllegalArgumentException naming the declaration and its first invalid property
     */
    public StreamingFunction toFunction() {
        return toFunction(System.getenv(), Path.of(System.getProperty("java.io.tmpdir"), TEMP_DIRECTORY));
    }

    /**
     * The function this declaration stands for.
     *
     * @param baseEnvironment the environment the program inherits, less the variables that select a device
     * @param tempRoot where each call's directory is created (created when missing)
     * @throws IllegalArgumentException naming the declaration and its first invalid property
     */
    public StreamingFunction toFunction(Map<String, String> baseEnvironment, Path tempRoot) {
        try {
            Checks.name(name, "name");
            if (fabricTypes.isEmpty() || fabricTypes.contains(null))
                throw new IllegalArgumentException("fabricTypes: " + fabricTypes + " (expected: one or more of "
                    + List.of(FabricType.values()) + ")");
            CommandTemplate cmd = CommandTemplate.parse(command);
            Path dir = checkedWorkingDirectory();
            Checks.inRange(timeoutMs, 1, MAX_TIMEOUT_MS, "timeoutMs");
            Map<String, String> own = ChildEnvironment.checked(environment);
            Map<String, String> env = ChildEnvironment.fixed(Checks.notNull(baseEnvironment, "baseEnvironment"), own);
            return new ProcessAccelerationFunction(name, EnumSet.copyOf(fabricTypes), cmd, dir, timeoutMs, env,
                Checks.notNull(tempRoot, "tempRoot").toAbsolutePath(), description);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("processFunctions element '" + name + "': " + e.getMessage(), e);
        }
    }

    private Path checkedWorkingDirectory() {
        if (workingDirectory == null)
            return null;
        try {
            Path dir = Path.of(workingDirectory);
            if (Files.isDirectory(dir))
                return dir.toAbsolutePath();
        }
        catch (InvalidPathException ignored) {
            // Reported below with the value as given.
        }
        throw new IllegalArgumentException("workingDirectory: '" + workingDirectory + "' (expected: an existing "
            + "directory, or unset for the call's own temporary directory)");
    }

    @Override
    public String toString() {
        return "ProcessFunction [name=" + name + ", fabricTypes=" + fabricTypes + ", command=" + command
            + ", workingDirectory=" + workingDirectory + ", timeoutMs=" + timeoutMs + ", environment="
            + environment.keySet() + ']';
    }
}
