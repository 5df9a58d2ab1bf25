package com.example.digest;

import io.fabricstitch.ignite.compute.FabricTaskContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.ignite.lang.IgniteCallable;

/**
 * The application's own closure: hashes a text with the fabric's registered {@code sha256} function, on the fabric
 * the task was placed on, and says where it ran. Its class exists only in this application's jar.
 */
public class DigestJob implements IgniteCallable<String> {
    private static final long serialVersionUID = 1L;

    private final String text;

    public DigestJob(String text) {
        this.text = text;
    }

    @Override
    public String call() {
        FabricTaskContext ctx = FabricTaskContext.current();
        byte[] digest = ctx.execute("sha256", text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest) + " on " + ctx.fabric().getModel() + " of node "
            + ctx.placement().nodeName();
    }

    /** The same digest, computed here, to check a result against. */
    public static String expected(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
