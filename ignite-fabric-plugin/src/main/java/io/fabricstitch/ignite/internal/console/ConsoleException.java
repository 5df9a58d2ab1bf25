package io.fabricstitch.ignite.internal.console;

/** A request the console refuses: the HTTP status and a message naming what was wrong and what is accepted. */
final class ConsoleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ConsoleException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
