package io.fabricstitch.function;

/**
 * An input was refused because the node's {@link DecodeBudget} stayed too full to decode it within the wait: the node
 * is busy, the input may fit later or elsewhere. Like {@link InvalidInputException} it does not count against the
 * fabric's health.
 */
public class DecodeBudgetExceededException extends FunctionException {
    private static final long serialVersionUID = 1L;

    public DecodeBudgetExceededException(String msg) {
        super(msg);
    }
}
