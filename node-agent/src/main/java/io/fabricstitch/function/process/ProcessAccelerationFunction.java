package io.fabricstitch.function.process;

import io.fabricstitch.function.FunctionCancelledException;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.StreamingFunction;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ProcessFunction} ready to run: each call starts its program once, in a fresh directory under the temp
 * root, and deletes that directory when the call ends, however it ends. Thread-safe: calls share nothing.
 * <p>
 * The input is written to {@code <dir>/input}; the program reads it on stdin unless an argument names
 * {@code {input}} (then stdin is empty). Its stdout is the output unless an argument names {@code {output}} (then
 * stdout is discarded and the program writes {@code <dir>/output}). A program that outlives the timeout, or whose
 * call is cancelled, is killed with its whole process tree (see {@link ProcessTree}).
 */
final class ProcessAccelerationFunction implements StreamingFunction {
    /** How often a running program is checked for cancellation and its deadline. */
    static final long POLL_MS = 25;

    /** How long stderr may stay open after the program exited (a descendant may hold it). */
    private static final long STDERR_GRACE_MS = 500;

    private static final int CHUNK = 256 * 1024;

    private final String name;
    private final Set<FabricType> fabricTypes;
    private final CommandTemplate command;
    private final Path workingDirectory;
    private final long timeoutMs;
    private final Map<String, String> environment;
    private final Path tempRoot;
    private final String description;

    ProcessAccelerationFunction(String name, Set<FabricType> fabricTypes, CommandTemplate command,
        Path workingDirectory, long timeoutMs, Map<String, String> environment, Path tempRoot, String description) {
        this.name = name;
        this.fabricTypes = Set.copyOf(fabricTypes);
        this.command = command;
        this.workingDirectory = workingDirectory;
        this.timeoutMs = timeoutMs;
        this.environment = environment;
        this.tempRoot = tempRoot;
        this.description = description;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<FabricType> fabricTypes() {
        return fabricTypes;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public FabricRuntime runtime() {
        return FabricRuntime.PROCESS;
    }

    /** The command line as configured, e.g. {@code sha256sum {input}}. */
    @Override
    public String implementation() {
        return command.toString();
    }

    /**
     * @throws FunctionCancelledException when the call is cancelled or its thread interrupted (the program is killed)
     * @throws FunctionException when the program cannot be started, does not finish within the timeout (it is
     *     killed), exits with a non-zero code (naming it and the last lines of stderr), or names {@code {output}} but
     *     writes no output file
     */
    @Override
    public void execute(FunctionContext ctx, InputStream in, OutputStream out) throws FunctionException, IOException {
        ctx.checkCancelled();
        try (CallDirectory dir = callDirectory()) {
            copyInput(ctx, in, dir.input());
            Process process = start(ctx, dir);
            try {
                StderrTail stderr = new StderrTail(process.getErrorStream(), "process-function-" + name + "-stderr");
                int exit = awaitExit(ctx, process);
                stderr.await(STDERR_GRACE_MS);
                if (exit != 0)
                    throw failure(command.program() + " exited with code " + exit + on(ctx) + "; "
                        + stderr.describe());
            }
            finally {
                if (process.isAlive())
                    ProcessTree.kill(process);
            }
            if (!Files.isRegularFile(dir.output()))
                throw failure(command.program() + " exited with code 0" + on(ctx) + " but wrote no output file "
                    + "(expected: the program writes its result to " + (command.namesOutput() ? "the path given for "
                    + CommandTemplate.OUTPUT : "stdout") + ")");
            Files.copy(dir.output(), out);
        }
    }

    private CallDirectory callDirectory() throws FunctionException {
        try {
            return CallDirectory.create(tempRoot, name);
        }
        catch (IOException e) {
            throw failure("cannot create a call directory under " + tempRoot + " (" + e
                + ") (expected: a writable directory)", e);
        }
    }

    private static void copyInput(FunctionContext ctx, InputStream in, Path file) throws IOException,
        FunctionCancelledException {
        byte[] buf = new byte[CHUNK];
        try (OutputStream f = Files.newOutputStream(file)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                ctx.checkCancelled();
                f.write(buf, 0, n);
            }
        }
    }

    private Process start(FunctionContext ctx, CallDirectory dir) throws FunctionException {
        ProcessBuilder pb = new ProcessBuilder(command.render(dir.input(), dir.output(), dir.path()))
            .directory((workingDirectory != null ? workingDirectory : dir.path()).toFile())
            .redirectInput(command.namesInput() ? Redirect.from(Redirect.DISCARD.file())
                : Redirect.from(dir.input().toFile()))
            .redirectOutput(command.namesOutput() ? Redirect.DISCARD : Redirect.to(dir.output().toFile()))
            .redirectError(Redirect.PIPE);
        pb.environment().clear();
        pb.environment().putAll(ChildEnvironment.forCall(environment, ctx.device()));
        try {
            return pb.start();
        }
        catch (IOException e) {
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw failure("cannot start '" + command.program() + "'" + on(ctx) + " (" + why
                + ") (expected: an executable on the node's PATH or an absolute path)", e);
        }
    }

    /** Waits for the program to exit, killing its tree on cancellation or timeout; returns its exit code. */
    private int awaitExit(FunctionContext ctx, Process process) throws FunctionException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            while (!process.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
                if (ctx.isCancelled()) {
                    int killed = ProcessTree.kill(process);
                    throw new FunctionCancelledException(prefix() + "cancelled" + on(ctx) + "; killed "
                        + command.program() + " and " + killed + " descendant process(es)");
                }
                if (System.nanoTime() - deadline >= 0) {
                    int killed = ProcessTree.kill(process);
                    throw failure(command.program() + " did not finish within " + timeoutMs + " ms" + on(ctx)
                        + "; killed it and " + killed + " descendant process(es)");
                }
            }
            return process.exitValue();
        }
        catch (InterruptedException e) {
            int killed = ProcessTree.kill(process);
            Thread.currentThread().interrupt();
            throw new FunctionCancelledException(prefix() + "interrupted" + on(ctx) + "; killed "
                + command.program() + " and " + killed + " descendant process(es)");
        }
    }

    private String prefix() {
        return "process function " + name + ": ";
    }

    private static String on(FunctionContext ctx) {
        return " on fabric " + ctx.fabric().getFabricId() + " (" + ctx.fabric().getModel() + ')';
    }

    private FunctionException failure(String msg) {
        return new FunctionException(prefix() + msg);
    }

    private FunctionException failure(String msg, Throwable cause) {
        return new FunctionException(prefix() + msg, cause);
    }

    @Override
    public String toString() {
        return "ProcessFunction [name=" + name + ", fabricTypes=" + fabricTypes + ", command=" + command
            + ", timeoutMs=" + timeoutMs + ']';
    }
}
