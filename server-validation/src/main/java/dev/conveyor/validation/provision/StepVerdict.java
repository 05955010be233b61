package dev.conveyor.validation.provision;

/** What a provisioning step did; the status code of its event and its entry in the job's result. */
enum StepVerdict {
    /** The device was already in the target state: nothing was written. */
    UNCHANGED,
    /** The step wrote to the device and the device reached the target state. */
    CHANGED,
    /** The step wrote a change that the device applies at the next reset. */
    STAGED,
    /** Not asked for by the request. */
    SKIPPED
}
