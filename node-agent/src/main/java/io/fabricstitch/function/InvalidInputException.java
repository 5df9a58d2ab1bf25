package io.fabricstitch.function;

/**
 * A function refused its input: the caller's mistake, not a fault of the fabric. The message names what was wrong and
 * what is accepted. Unlike other {@link FunctionException}s it does not count against the fabric's health.
 */
public class InvalidInputException extends FunctionException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String msg) {
        super(msg);
    }

    public InvalidInputException(String msg, Throwable cause) {
        super(msg, cause);
    }
}
