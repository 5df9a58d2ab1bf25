package com.example.digest;

import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricType;
import java.time.Duration;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/**
 * Starts a client node from a Spring XML file (e.g. {@code config/fabric-client.xml}), runs {@link DigestJob} through
 * {@link FabricCompute} on the cheapest fabric that runs {@code sha256}, and prints its answer:
 * {@code java -cp "own-closure.jar:<fabric home>/examples/target/lib/*" com.example.digest.DigestApp CONFIG TEXT}.
 */
public final class DigestApp {
    private DigestApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DigestApp CLIENT_CONFIG_XML TEXT");
            System.exit(2);
        }
        try (Ignite ignite = Ignition.start(args[0])) {
            TaskRequest request = TaskRequest.builder("sha256").require(FabricType.CPU, 1)
                .timeout(Duration.ofSeconds(30)).build();
            String answer = FabricCompute.of(ignite).call(request, new DigestJob(args[1]));
            System.out.println(answer);
            System.out.println(answer.startsWith(DigestJob.expected(args[1])) ? "digest checked" : "WRONG digest");
        }
    }
}
