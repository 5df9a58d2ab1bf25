package io.fabricstitch.agent.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Finds and copies the recorded fixtures under {@code src/test/resources/probe/}. */
final class ProbeFixtures {
    private ProbeFixtures() {
    }

    /** The fixture as a file, e.g. {@code nvidia-smi/h100x2.csv}. */
    static Path resource(String name) {
        URL url = ProbeFixtures.class.getResource("/probe/" + name);
        if (url == null)
            throw new IllegalArgumentException("fixture: '" + name + "' (expected: a file under src/test/resources/probe)");
        try {
            return Path.of(url.toURI());
        }
        catch (URISyntaxException e) {
            throw new IllegalArgumentException("fixture: " + url, e);
        }
    }

    /** Copies the fixture into {@code dir}, keeping its file name. */
    static Path copy(String name, Path dir) {
        Path source = resource(name);
        try {
            return Files.copy(source, dir.resolve(source.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
