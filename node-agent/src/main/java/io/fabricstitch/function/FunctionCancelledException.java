package io.fabricstitch.function;

/** The caller cancelled the function (or interrupted its thread) before it finished. */
public class FunctionCancelledException extends FunctionException {
    private static final long serialVersionUID = 1L;

    public FunctionCancelledException(String msg) {
        super(msg);
    }
}
