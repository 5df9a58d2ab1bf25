package io.fabricstitch.agent.opencl;

import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A user's OpenCL function: a kernel from OpenCL C source (GPUs and CPUs compile it) or a prebuilt device binary (an
 * FPGA's {@code .xclbin} or {@code .aocx}, loaded with {@code clCreateProgramWithBinary}), with a declared argument
 * layout. A JavaBean with chaining setters, so it works as a Spring XML bean in the plugin's {@code openClFunctions}:
 * <pre>{@code
 * <bean class="io.fabricstitch.agent.opencl.OpenClFunction">
 *     <property name="name" value="vector.add"/>
 *     <property name="fabricTypes"><list><value>GPU</value><value>CPU</value></list></property>
 *     <property name="source" value="/etc/fabric-stitch/kernels/vadd.cl"/>
 *     <property name="kernel" value="vadd"/>
 *     <property name="arguments" value="in float[] a, in float[] b, out float[] c, int n"/>
 * </bean>
 * }</pre>
 * The call's input is the input arrays one after another (little-endian), each of the same element count {@code n};
 * its output is the output array. One work item per element, or one in all ({@code workItems=1}). See {@link KernelArguments} for the layout's grammar.
 * The program is built for every matching device when the node starts; one that does not build stops the node with
 * the driver's build log.
 */
public class OpenClFunction {
    private String name;
    private List<FabricType> fabricTypes = new ArrayList<>(List.of(FabricType.GPU));
    private String source;
    private String binary;
    private String kernel;
    private String arguments;
    private String buildOptions = "";
    private String deviceName;
    private String description = "";
    private String workItems = "n";

    /** The function's registered name (letters, digits, '.', '_', '-'). */
    public String getName() {
        return name;
    }

    public OpenClFunction setName(String name) {
        this.name = name;
        return this;
    }

    /** Fabric types whose OpenCL devices run it; default GPU. */
    public List<FabricType> getFabricTypes() {
        return fabricTypes;
    }

    public OpenClFunction setFabricTypes(List<FabricType> fabricTypes) {
        this.fabricTypes = fabricTypes == null ? new ArrayList<>() : new ArrayList<>(fabricTypes);
        return this;
    }

    /** Path of the OpenCL C source file; exactly one of source and binary. */
    public String getSource() {
        return source;
    }

    public OpenClFunction setSource(String source) {
        this.source = source;
        return this;
    }

    /** Path of a device binary ({@code .xclbin}, {@code .aocx}, or a binary another driver produced). */
    public String getBinary() {
        return binary;
    }

    public OpenClFunction setBinary(String binary) {
        this.binary = binary;
        return this;
    }

    /** The kernel's name in the program. */
    public String getKernel() {
        return kernel;
    }

    public OpenClFunction setKernel(String kernel) {
        this.kernel = kernel;
        return this;
    }

    /** The argument layout, e.g. {@code in float[] a, in float[] b, out float[] c, int n}. */
    public String getArguments() {
        return arguments;
    }

    public OpenClFunction setArguments(String arguments) {
        this.arguments = arguments;
        return this;
    }

    /** Options for {@code clBuildProgram}, e.g. {@code -cl-std=CL1.2}; default none. */
    public String getBuildOptions() {
        return buildOptions;
    }

    public OpenClFunction setBuildOptions(String buildOptions) {
        this.buildOptions = buildOptions == null ? "" : buildOptions;
        return this;
    }

    /**
     * A glob ({@code *} and {@code ?}) the OpenCL device's name must match, e.g. {@code xilinx_u250*} for a binary
     * built for one card; unset: every device of the fabric types.
     */
    public String getDeviceName() {
        return deviceName;
    }

    public OpenClFunction setDeviceName(String deviceName) {
        this.deviceName = deviceName;
        return this;
    }

    /**
     * How many work items run the kernel: {@code n} (default: one per element, as GPU kernels are written) or
     * {@code 1} (a single work item that loops over the elements itself, as FPGA kernels usually are).
     */
    public String getWorkItems() {
        return workItems;
    }

    public OpenClFunction setWorkItems(String workItems) {
        this.workItems = workItems;
        return this;
    }

    /** One line for docs and the map. */
    public String getDescription() {
        return description;
    }

    public OpenClFunction setDescription(String description) {
        this.description = description == null ? "" : description;
        return this;
    }

    /**
     * The function this declaration stands for, with its source or binary read now.
     *
     * @throws IllegalArgumentException naming the declaration and its first invalid property
     */
    OpenClKernelFunction toFunction(OpenClRuntime runtime) {
        try {
            Checks.name(name, "name");
            if (fabricTypes.isEmpty() || fabricTypes.contains(null))
                throw new IllegalArgumentException("fabricTypes: " + fabricTypes + " (expected: one or more of GPU, "
                    + "FPGA, ASIC, CPU)");
            if ((source == null) == (binary == null))
                throw new IllegalArgumentException("source: " + source + ", binary: " + binary + " (expected: exactly "
                    + "one: OpenCL C source for devices with a compiler, or a device binary)");
            if (kernel == null || !kernel.matches("[A-Za-z_][A-Za-z0-9_]*"))
                throw new IllegalArgumentException("kernel: '" + kernel + "' (expected: the kernel's name in the "
                    + "program, a C identifier)");
            KernelArguments args = KernelArguments.parse(arguments);
            if (!"n".equals(workItems) && !"1".equals(workItems))
                throw new IllegalArgumentException("workItems: '" + workItems + "' (expected: n, one work item per "
                    + "element, or 1, a single work item)");
            Pattern device = deviceName == null || deviceName.isBlank() ? null : glob(deviceName.strip());
            KernelProgram program = source != null
                ? KernelProgram.source(Path.of(source).getFileName().toString(), read(source, "source"), buildOptions,
                    List.of(kernel))
                : KernelProgram.binary(Path.of(binary).getFileName().toString(), readBytes(binary), buildOptions,
                    List.of(kernel));
            return new UserKernel(runtime, name, EnumSet.copyOf(fabricTypes), program, kernel, args, device,
                description, "1".equals(workItems));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("openClFunctions element '" + name + "': " + e.getMessage(), e);
        }
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray())
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        return Pattern.compile(re.toString());
    }

    private static String read(String path, String what) {
        return new String(readBytes(path, what), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(String path) {
        return readBytes(path, "binary");
    }

    private static byte[] readBytes(String path, String what) {
        try {
            byte[] b = Files.readAllBytes(Path.of(path));
            if (b.length == 0)
                throw new IllegalArgumentException(what + ": " + path + " is empty (expected: a "
                    + (what.equals("source") ? "program in OpenCL C" : "device binary") + ")");
            return b;
        }
        catch (IOException | java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(what + ": " + path + " cannot be read (" + e.getMessage()
                + ") (expected: a readable file)");
        }
    }

    @Override
    public String toString() {
        return "OpenClFunction [name=" + name + ", fabricTypes=" + fabricTypes + ", " + (source != null ? "source="
            + source : "binary=" + binary) + ", kernel=" + kernel + ", arguments=" + arguments + ']';
    }
}
