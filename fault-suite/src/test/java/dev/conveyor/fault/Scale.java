package dev.conveyor.fault;

/**
 * The suite's two sizes: {@code short} in every {@code mvn verify}, {@code full} with
 * {@code -Pfault-full} (the figures docs/operations.md reports).
 */
final class Scale {
    static final boolean FULL = "full".equals(System.getProperty("fault.scale", "short"));

    private Scale() {
    }

    static int of(int shortForm, int fullForm) {
        return FULL ? fullForm : shortForm;
    }
}
