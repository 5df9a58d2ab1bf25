package io.fabricstitch.function.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process function's command line: the program, then its arguments, which may hold the placeholders
 * {@value #INPUT}, {@value #OUTPUT} and {@value #DIR}. A placeholder is {@code {name}} with a name of letters,
 * digits, '_', '.' or '-', not preceded by '$': the shell's {@code ${VAR}}, {@code find}'s {@code {}} and
 * {@code awk}'s {@code { print $1 }} pass through as they are. Immutable.
 */
final class CommandTemplate {
    /** The path of the file holding the call's input. */
    static final String INPUT = "{input}";
    /** The path the program writes the call's output to. */
    static final String OUTPUT = "{output}";
    /** The call's own temporary directory. */
    static final String DIR = "{dir}";

    private static final String ACCEPTED = INPUT + ", " + OUTPUT + " or " + DIR;
    private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\$)\\{[A-Za-z_][A-Za-z0-9_.-]*}");

    private final List<String> command;
    private final boolean namesInput;
    private final boolean namesOutput;

    private CommandTemplate(List<String> command) {
        this.command = command;
        namesInput = names(command, INPUT);
        namesOutput = names(command, OUTPUT);
    }

    private static boolean names(List<String> command, String placeholder) {
        return command.stream()
            .anyMatch(a -> PLACEHOLDER.matcher(a).results().anyMatch(r -> r.group().equals(placeholder)));
    }

    /**
     * @throws IllegalArgumentException for an empty command, a blank program or one with a placeholder, a null
     *     argument, or an unknown placeholder, naming it and the accepted ones
     */
    static CommandTemplate parse(List<String> command) {
        if (command == null || command.isEmpty())
            throw new IllegalArgumentException("command: " + command + " (expected: the program followed by its "
                + "arguments, e.g. [sha256sum, " + INPUT + "])");
        String program = command.get(0);
        if (program == null || program.isBlank())
            throw new IllegalArgumentException("command: program '" + program + "' (expected: a program on the "
                + "node's PATH or an absolute path)");
        if (PLACEHOLDER.matcher(program).find())
            throw new IllegalArgumentException("command: program '" + program + "' (expected: a program name or "
                + "path without placeholders; " + ACCEPTED + " go in the arguments)");
        for (int i = 1; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg == null)
                throw new IllegalArgumentException("command: argument " + i + " is null (expected: a string)");
            Matcher m = PLACEHOLDER.matcher(arg);
            while (m.find()) {
                if (!List.of(INPUT, OUTPUT, DIR).contains(m.group()))
                    throw new IllegalArgumentException("command: placeholder '" + m.group() + "' in argument " + i
                        + " '" + arg + "' (expected: " + ACCEPTED + ")");
            }
        }
        return new CommandTemplate(List.copyOf(command));
    }

    /** The program as configured. */
    String program() {
        return command.get(0);
    }

    /** Whether an argument names {@value #INPUT}; if not, the program reads the input on stdin. */
    boolean namesInput() {
        return namesInput;
    }

    /** Whether an argument names {@value #OUTPUT}; if not, the program's stdout is the output. */
    boolean namesOutput() {
        return namesOutput;
    }

    /** The command line with every placeholder replaced by the absolute path it stands for. */
    List<String> render(Path input, Path output, Path dir) {
        Map<String, String> paths = Map.of(INPUT, input.toAbsolutePath().toString(), OUTPUT,
            output.toAbsolutePath().toString(), DIR, dir.toAbsolutePath().toString());
        return command.stream()
            .map(a -> PLACEHOLDER.matcher(a).replaceAll(m -> Matcher.quoteReplacement(paths.get(m.group()))))
            .toList();
    }

    /** The command line as configured, arguments joined by spaces, placeholders kept. */
    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
