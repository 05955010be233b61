package dev.conveyor.fault;

/**
 * The suite's two sizes: {@code short} in every {@code mvn verify}, {@code long} (or its older name
 * {@code full}) with {@code -Dfault.scale=long} or {@code -Pfault-full}: the figures
 * docs/reliability.md reports.
 */
final class Scale {
    static final boolean FULL = switch (System.getProperty("fault.scale", "short")) {
        case "long", "full" -> true;
        default -> false;
    };

    private Scale() {
    }

    static int of(int shortForm, int fullForm) {
        return FULL ? fullForm : shortForm;
    }
}
