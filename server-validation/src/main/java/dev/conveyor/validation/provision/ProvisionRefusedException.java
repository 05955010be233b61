package dev.conveyor.validation.provision;

/**
 * A step the device refused or could not finish in a way retrying will not change: a failed update
 * task, a component or resource the BMC does not have, a reset that never completed. The step was
 * recorded as FAIL with this message; the job ends DEAD with it.
 */
final class ProvisionRefusedException extends RuntimeException {
    private final String step;

    ProvisionRefusedException(String step, String message) {
        super(step + ": " + message);
        this.step = step;
    }

    String step() {
        return step;
    }
}
