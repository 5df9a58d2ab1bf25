package io.fabricstitch.ignite.internal.console;

/**
 * A request the console refuses: the HTTP status, a message naming what was wrong and what is accepted, and at most
 * one header the refusal needs ({@code WWW-Authenticate} on 401, {@code Allow} on 405).
 */
final class ConsoleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String header;
    private final String headerValue;

    ConsoleException(int status, String message) {
        this(status, message, null, null);
    }

    ConsoleException(int status, String message, String header, String headerValue) {
        super(message, null, false, false);
        this.status = status;
        this.header = header;
        this.headerValue = headerValue;
    }

    int status() {
        return status;
    }

    /** The API's answer to this refusal: {@code {"error": message}} with its header. */
    ConsoleResponse response() {
        ConsoleResponse r = ConsoleResponse.error(status, getMessage());
        return header == null ? r : r.with(header, headerValue);
    }
}
