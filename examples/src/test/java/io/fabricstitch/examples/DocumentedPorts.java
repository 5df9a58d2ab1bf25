package io.fabricstitch.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The port table of {@code docs/operations.md} ("## Ports"), as a test reads it: each row's port or range, protocol,
 * and whether the shipped configurations open it.
 */
final class DocumentedPorts {
    static final Path OPERATIONS = Path.of("../docs/operations.md");

    private static final Pattern PORTS = Pattern.compile("^(\\d{1,5})(?:\\.\\.(\\d{1,5}))?");

    private DocumentedPorts() {
    }

    /** One row with numeric ports: {@code first..last}, {@code TCP} or {@code UDP}, open by default or not. */
    record Row(int first, int last, String protocol, boolean openByDefault) {
        boolean names(ListeningSockets.Socket s) {
            return s.protocol().equals(protocol) && s.port() >= first && s.port() <= last;
        }

        @Override
        public String toString() {
            return protocol + ' ' + first + (last != first ? ".." + last : "");
        }
    }

    /**
     * The rows of the table whose first cell is a port or a range (rows naming no number, such as an RDMA
     * transport's own port, are left out).
     *
     * @throws IllegalStateException when the section or its columns are missing
     */
    static List<Row> read() throws IOException {
        List<String> lines = Files.readAllLines(OPERATIONS);
        int i = lines.indexOf("## Ports");
        if (i < 0)
            throw new IllegalStateException(OPERATIONS + ": no '## Ports' section (expected: the table of ports)");
        while (i < lines.size() && !lines.get(i).startsWith("|"))
            i++;
        List<String> header = cells(lines.get(i));
        int port = column(header, "port (default)");
        int protocol = column(header, "protocol");
        int open = column(header, "open by default");
        List<Row> rows = new ArrayList<>();
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            List<String> c = cells(lines.get(i));
            Matcher m = PORTS.matcher(c.get(port));
            if (!m.find())
                continue;
            int first = Integer.parseInt(m.group(1));
            int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
            String proto = c.get(protocol).startsWith("UDP") ? "UDP" : "TCP";
            rows.add(new Row(first, last, proto, c.get(open).startsWith("yes")));
        }
        return rows;
    }

    private static List<String> cells(String row) {
        String inner = row.strip();
        inner = inner.substring(1, inner.length() - 1);
        return Arrays.stream(inner.split("(?<!\\\\)\\|", -1)).map(String::strip).toList();
    }

    private static int column(List<String> header, String name) {
        int c = header.indexOf(name);
        if (c < 0)
            throw new IllegalStateException(OPERATIONS + ": the ports table has no column '" + name + "' (columns: "
                + header + ')');
        return c;
    }
}
