package io.fabricstitch.agent.probe;

/**
 * One input (a file, a line) a probe could not use; its message is the warning the probe reports.
 * Package-private control flow, never thrown out of a probe.
 */
final class SkippedInputException extends Exception {
    private static final long serialVersionUID = 1L;

    SkippedInputException(String warning) {
        super(warning, null, false, false);
    }
}
