package io.fabricstitch.examples;

import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.agent.datapath.FabricDataPathConfiguration;
import io.fabricstitch.agent.net.FabricNetworkConfiguration;
import io.fabricstitch.ignite.FabricConsoleConfiguration;
import io.fabricstitch.ignite.FabricOrchestratorConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies of {@code config/fabric-demo.xml} for tests: the same declared fabrics on port ranges of the test's own (so
 * they never join a demo or another test's cluster on this host), with private work, claim and staging folders, any
 * free agent and data-path ports, and no beacons.
 */
final class ExampleTestConfigs {
    static final Path DEMO = Path.of("../config/fabric-demo.xml");

    private ExampleTestConfigs() {
    }

    /** Writes the copy into {@code dir}: discovery {@code discovery..+9}, communication and JDBC ranges likewise. */
    static Path demo(Path dir, int discovery, int communication, int client) throws IOException {
        String xml = onPorts(Files.readString(DEMO), dir, discovery, communication, client);
        xml = set(xml, "agent", "<property name=\"claimDirectory\" value=\"" + dir.resolve("claims") + "\"/>");
        xml = set(xml, "network", "<property name=\"agentPort\" value=\"0\"/>\n"
            + "<property name=\"beaconsEnabled\" value=\"false\"/>");
        xml = set(xml, "dataPath", "<property name=\"stagingDirectory\" value=\"" + dir.resolve("staging") + "\"/>\n"
            + "<property name=\"port\" value=\"0\"/>");
        Path file = dir.resolve("fabric-demo-" + discovery + ".xml");
        Files.writeString(file, xml);
        return file;
    }

    /**
     * {@code xml}, a shipped configuration, on port ranges of a test's own (discovery {@code discovery..+9},
     * communication and JDBC ranges likewise) with its work directory in {@code dir}.
     */
    static String onPorts(String xml, Path dir, int discovery, int communication, int client) {
        xml = replace(xml, "<property name=\"localPort\" value=\"47500\"/>",
            "<property name=\"localPort\" value=\"" + discovery + "\"/>");
        xml = replace(xml, "<value>127.0.0.1:47500..47509</value>",
            "<value>127.0.0.1:" + discovery + ".." + (discovery + 9) + "</value>");
        xml = replace(xml, "<property name=\"localPort\" value=\"47100\"/>",
            "<property name=\"localPort\" value=\"" + communication + "\"/>");
        xml = replace(xml, "<property name=\"port\" value=\"10800\"/>",
            "<property name=\"port\" value=\"" + client + "\"/>");
        return replace(xml, "<property name=\"localHost\" value=\"127.0.0.1\"/>",
            "<property name=\"localHost\" value=\"127.0.0.1\"/>\n"
                + "<property name=\"workDirectory\" value=\"" + dir.resolve("work") + "\"/>");
    }

    /**
     * {@code xml} with {@code properties} (Spring XML property elements) set in part {@code part} of its plugin
     * configuration ({@code agent}, {@code network}, {@code dataPath}, {@code orchestrator}, {@code console}): added
     * to that part's bean where the file has one, else in a new bean of the part.
     */
    static String set(String xml, String part, String properties) {
        String bean = "<bean class=\"" + beanClass(part).getName() + "\">";
        if (xml.contains(bean))
            return xml.replaceFirst(Pattern.quote(bean),
                Matcher.quoteReplacement(bean + "\n" + properties));
        String root = "<bean class=\"io.fabricstitch.ignite.FabricPluginConfiguration\">";
        return replace(xml, root, root + "\n<property name=\"" + part + "\">" + bean + "\n" + properties
            + "\n</bean></property>");
    }

    /** The bean class of part {@code part} of the plugin configuration. */
    private static Class<?> beanClass(String part) {
        switch (part) {
            case "agent":
                return FabricAgentConfiguration.class;
            case "network":
                return FabricNetworkConfiguration.class;
            case "dataPath":
                return FabricDataPathConfiguration.class;
            case "orchestrator":
                return FabricOrchestratorConfiguration.class;
            case "console":
                return FabricConsoleConfiguration.class;
            default:
                throw new IllegalArgumentException("part: '" + part + "' (expected: agent, network, dataPath, "
                    + "orchestrator or console)");
        }
    }

    /** {@code xml} with {@code what} replaced by {@code with}; fails when a shipped configuration no longer has it. */
    static String replace(String xml, String what, String with) {
        if (!xml.contains(what))
            throw new IllegalStateException("the shipped configuration no longer holds " + what + " (expected: the "
                + "settings this test rewrites)");
        return xml.replace(what, with);
    }
}
