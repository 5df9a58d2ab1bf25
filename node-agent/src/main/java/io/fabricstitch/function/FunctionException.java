package io.fabricstitch.function;

/** A function could not produce its output: bad input, a failure on the fabric, or cancellation. */
public class FunctionException extends Exception {
    private static final long serialVersionUID = 1L;

    public FunctionException(String msg) {
        super(msg);
    }

    public FunctionException(String msg, Throwable cause) {
        super(msg, cause);
    }
}
