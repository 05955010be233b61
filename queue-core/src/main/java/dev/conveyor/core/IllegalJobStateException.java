package dev.conveyor.core;

/** An action that the job's current state does not allow, such as cancelling a finished job. */
public final class IllegalJobStateException extends ConveyorException {
    private final long jobId;
    private final JobState state;

    public IllegalJobStateException(long jobId, JobState state, String action) {
        super("cannot " + action + " job " + jobId + ": it is " + state);
        this.jobId = jobId;
        this.state = state;
    }

    public long jobId() {
        return jobId;
    }

    public JobState state() {
        return state;
    }
}
