package io.fabricstitch.ignite.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two Linux network namespaces joined by a veth pair: two hosts with a real link between them, on one machine. Needs
 * root and {@code ip} (iproute2); {@link #unavailableBecause()} says why not when they are missing.
 */
public final class VethPair implements AutoCloseable {
    private final String nsA;
    private final String nsB;
    private final String subnet;
    private boolean created;

    private VethPair() {
        int n = ThreadLocalRandom.current().nextInt(10_000);
        nsA = "fs" + n + "a";
        nsB = "fs" + n + "b";
        subnet = "10.231." + (1 + ThreadLocalRandom.current().nextInt(250));
    }

    /** Why this machine cannot make namespaces, or null when it can. */
    public static String unavailableBecause() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux"))
            return "network namespaces need Linux (this is " + System.getProperty("os.name") + ")";
        try {
            Result r = run(List.of("ip", "netns", "list"));
            if (r.code != 0)
                return "'ip netns list' failed: " + r.output.strip();
        }
        catch (IOException e) {
            return "no 'ip' command (iproute2): " + e.getMessage();
        }
        if (!"root".equals(System.getProperty("user.name")))
            return "creating network namespaces needs root (running as " + System.getProperty("user.name") + ")";
        return null;
    }

    /**
     * Creates both namespaces and the link: {@code <subnet>.1/24} in A, {@code <subnet>.2/24} in B, loopback up.
     *
     * @throws IllegalStateException naming the command that failed and what it printed
     */
    public static VethPair create() {
        VethPair p = new VethPair();
        String vethA = p.nsA + "v";
        String vethB = p.nsB + "v";
        try {
            p.sh("ip", "netns", "add", p.nsA);
            p.created = true;
            p.sh("ip", "netns", "add", p.nsB);
            p.sh("ip", "link", "add", vethA, "netns", p.nsA, "type", "veth", "peer", "name", vethB, "netns", p.nsB);
            p.sh("ip", "-n", p.nsA, "addr", "add", p.addressA() + "/24", "dev", vethA);
            p.sh("ip", "-n", p.nsB, "addr", "add", p.addressB() + "/24", "dev", vethB);
            for (String ns : List.of(p.nsA, p.nsB)) {
                p.sh("ip", "-n", ns, "link", "set", "lo", "up");
                p.sh("ip", "-n", ns, "link", "set", ns + "v", "up");
            }
            return p;
        }
        catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** The address of host A on the link. */
    public String addressA() {
        return subnet + ".1";
    }

    /** The address of host B on the link. */
    public String addressB() {
        return subnet + ".2";
    }

    /** The command prefix that runs a program in host A. */
    public String[] inA() {
        return new String[] {"ip", "netns", "exec", nsA};
    }

    /** The command prefix that runs a program in host B. */
    public String[] inB() {
        return new String[] {"ip", "netns", "exec", nsB};
    }

    private void sh(String... cmd) {
        try {
            Result r = run(List.of(cmd));
            if (r.code != 0)
                throw new IllegalStateException("'" + String.join(" ", cmd) + "' exited " + r.code + ": "
                    + r.output.strip());
        }
        catch (IOException e) {
            throw new IllegalStateException("'" + String.join(" ", cmd) + "' could not run: " + e.getMessage(), e);
        }
    }

    /** Deletes both namespaces (and with them the link). */
    @Override
    public void close() {
        if (!created)
            return;
        for (String ns : List.of(nsA, nsB)) {
            try {
                run(List.of("ip", "netns", "del", ns));
            }
            catch (IOException ignored) {
                // Nothing more to do.
            }
        }
        created = false;
    }

    private static final class Result {
        final int code;
        final String output;

        Result(int code, String output) {
            this.code = code;
            this.output = output;
        }
    }

    private static Result run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
