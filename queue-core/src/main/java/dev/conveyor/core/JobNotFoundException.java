package dev.conveyor.core;

public final class JobNotFoundException extends ConveyorException {
    private final long jobId;

    public JobNotFoundException(long jobId) {
        super("job " + jobId + " not found");
        this.jobId = jobId;
    }

    public long jobId() {
        return jobId;
    }
}
