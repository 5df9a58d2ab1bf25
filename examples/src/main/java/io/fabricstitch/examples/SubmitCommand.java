package io.fabricstitch.examples;

import io.fabricstitch.examples.api.ProgressPrinter;
import io.fabricstitch.ignite.compute.CostTerms;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.ignite.compute.TaskRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.ignite.Ignite;

/**
 * {@code bin/fabric submit}: starts a client node, runs one function through {@link FabricCompute#execute}, writes
 * its output to a file and prints where it ran and why, one fact per line. Every argument is checked before the
 * client starts.
 */
final class SubmitCommand {
    /** The options {@code submit} takes. */
    static final String[] OPTIONS = {"function", "require", "priority", "input", "output", "config", "url", "timeout",
        "fabric"};

    /** Longest {@code --timeout}, seconds. */
    static final long MAX_TIMEOUT_S = TaskRequest.MAX_TIMEOUT.toSeconds();

    /** Largest output read back to describe it; a larger one is described by its size. */
    static final long MAX_SUMMARY_BYTES = 64L << 20;

    private final TaskRequest request;
    private final Requirement requirement;
    private final Path input;
    private final Path output;
    private final ClientNode client;

    private SubmitCommand(TaskRequest request, Requirement requirement, Path input, Path output, ClientNode client) {
        this.request = request;
        this.requirement = requirement;
        this.input = input;
        this.output = output;
        this.client = client;
    }

    /**
     * Checks every option and the input file; the client configuration defaults to
     * {@code config/fabric-client.xml} under {@code home}.
     *
     * @throws IllegalArgumentException naming the first bad option and what it accepts
     */
    static SubmitCommand parse(Map<String, String> opts, Path home, Duration joinTimeout) {
        String function = required(opts, "function", "NAME (e.g. sha256, deflate, image.gaussian-blur, matmul.f32)");
        TaskRequest.Builder b;
        try {
            b = TaskRequest.builder(function);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
        Requirement req = Requirement.parse(required(opts, "require", Requirement.FORMAT), "--require");
        req.applyTo(b).timeout(Duration.ofSeconds(timeoutSeconds(opts.getOrDefault("timeout",
            String.valueOf(TaskRequest.DFLT_TIMEOUT.toSeconds())))));
        List<String> urls = opts.containsKey("url") ? ClientNode.parseUrls(opts.get("url")) : null;
        Path config = FabricLauncher.existingFile(opts.getOrDefault("config",
            home.resolve("config/fabric-client.xml").toString()));
        Path input = readableInput(required(opts, "input", "FILE with the function's input bytes"));
        Path output = outputFile(required(opts, "output", "FILE to write the function's output to"));
        ClientNode client = ClientNode.load(config, urls, joinTimeout);
        if (opts.containsKey("priority"))
            b.priority(priority(opts.get("priority"),
                client.pluginConfiguration().getOrchestrator().priorityClassMap().keySet()));
        if (opts.containsKey("fabric"))
            b.fabric(fabricId(opts.get("fabric")));
        return new SubmitCommand(b.build(), req, input, output, client);
    }

    private static String required(Map<String, String> opts, String name, String what) {
        String v = opts.get(name);
        if (v == null)
            throw new IllegalArgumentException("submit needs --" + name + ' ' + what);
        return v;
    }

    private static long timeoutSeconds(String text) {
        long s;
        try {
            s = Long.parseLong(text.trim());
        }
        catch (NumberFormatException e) {
            s = 0;
        }
        if (s < 1 || s > MAX_TIMEOUT_S)
            throw new IllegalArgumentException("--timeout: '" + text + "' (expected: whole seconds, 1.."
                + MAX_TIMEOUT_S + ")");
        return s;
    }

    private static java.util.UUID fabricId(String text) {
        try {
            return java.util.UUID.fromString(text.trim());
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--fabric: '" + text + "' (expected: a fabric id, as in "
                + "FABRIC.FABRIC_ENTRY.FABRIC_ID)");
        }
    }

    private static String priority(String name, Set<String> known) {
        if (!known.contains(name))
            throw new IllegalArgumentException("--priority: '" + name + "' (expected: one of "
                + String.join(", ", known) + ")");
        return name;
    }

    private static Path readableInput(String path) {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p) || !Files.isReadable(p))
            throw new IllegalArgumentException("--input: " + path + " is not a readable file (expected: a file with "
                + "the function's input, e.g. a PNG for image.gaussian-blur)");
        return p;
    }

    private static Path outputFile(String path) {
        Path p = Path.of(path).toAbsolutePath();
        Path dir = p.getParent();
        if (Files.isDirectory(p) || dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir))
            throw new IllegalArgumentException("--output: " + path + " cannot be written (expected: a file in an "
                + "existing, writable folder)");
        return p;
    }

    /**
     * Starts the client, runs the task (the input streams from its file, over a data path when large, and the
     * output into its file) showing its progress (a bar when {@code terminal}, else plain lines), prints the facts
     * and stops the client.
     *
     * @return 0 on success
     * @throws IllegalArgumentException when the cluster refuses an argument (exit 2)
     * @throws RuntimeException with a one-line message for every other failure (exit 1)
     */
    int run(PrintStream out, boolean terminal) throws IOException {
        try (Ignite ignite = client.start()) {
            FabricCompute fc = FabricCompute.of(ignite);
            Placement p;
            try (ProgressPrinter progress = ProgressPrinter.of(out, terminal, "progress: ")) {
                p = fc.execute(request, input, output, progress);
            }
            print(p, fc.weightsOf(request), ranAs(ignite, p), out);
            return 0;
        }
    }

    /** How the placed fabric runs the function, as the Fabric Map says (its agent runs exactly that). */
    private String ranAs(Ignite ignite, Placement p) {
        return io.fabricstitch.ignite.FabricStitch.of(ignite).fabricMap().stream()
            .filter(f -> f.getFabricId().equals(p.fabricId())).findFirst()
            .map(f -> f.getFunctions().get(request.function()))
            .map(f -> f.runtime() + (f.implementation().isEmpty() ? "" : " (" + f.implementation() + ')')
                + ", speed " + num(f.speedFactor()) + ' ' + f.speedSource())
            .orElse("unknown (the fabric left the map)");
    }

    private void print(Placement p, CostWeights w, String ranAs, PrintStream out) throws IOException {
        CostTerms t = p.terms();
        out.println("task:     " + p.taskId() + (p.attempt() > 1 ? " (attempt " + p.attempt() + ")" : ""));
        out.println("function: " + request.function());
        out.println("fabric:   " + p.fabricType() + ' ' + p.model() + " (" + p.fabricId() + ')');
        out.println("runtime:  " + ranAs);
        out.println("node:     " + p.nodeName());
        out.println("reserved: " + p.amount() + ' ' + p.resourceUnit() + " (asked: " + requirement + ")");
        out.println("priority: " + p.priority());
        out.println(String.format(Locale.ROOT, "cost:     %.4f = latencyTerm %.4f (latencyWeight %s x latency %s ms) "
            + "+ resourceTerm %.4f (resourceWeight %s x utilization after %.3f x price %s)", t.cost(), t.latencyTerm(),
            num(w.latencyWeight()), num(t.latencyMs()), t.resourceTerm(), num(w.resourceWeight()),
            t.utilizationAfter(), num(t.price())));
        out.println("path:     " + p.dataPath());
        long size = Files.size(output);
        out.println("output:   " + (size <= MAX_SUMMARY_BYTES ? OutputSummary.of(request.function(), Files.size(input),
            Files.readAllBytes(output)) : size + " bytes") + " -> " + output);
    }

    /** A number without trailing zeros: 1, 0.5, 12.25. */
    static String num(double v) {
        return java.math.BigDecimal.valueOf(v).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
            .toPlainString();
    }
}
