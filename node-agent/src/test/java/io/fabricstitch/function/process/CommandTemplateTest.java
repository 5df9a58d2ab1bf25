package io.fabricstitch.function.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandTemplateTest {
    @Test
    void replacesEveryPlaceholderByItsAbsolutePath() {
        CommandTemplate t = CommandTemplate.parse(List.of("tool", "--in={input}", "{output}", "{dir}/{dir}"));
        assertEquals(List.of("tool", "--in=/c/input", "/c/output", "/c//c"),
            t.render(Path.of("/c/input"), Path.of("/c/output"), Path.of("/c")));
        assertTrue(t.namesInput());
        assertTrue(t.namesOutput());
        assertEquals("tool --in={input} {output} {dir}/{dir}", t.toString());
    }

    @Test
    void passesShellFindAndAwkBracesThroughUnchanged() {
        List<String> command = List.of("sh", "-c", "echo ${HOME} {} { print $1 } ${input}");
        CommandTemplate t = CommandTemplate.parse(command);
        assertEquals(command, t.render(Path.of("/i"), Path.of("/o"), Path.of("/d")));
        assertFalse(t.namesInput());
        assertFalse(t.namesOutput());
    }
}
