package dev.conveyor.device;

/** The verdict of one check of a device. */
public enum CheckStatus {
    PASS,
    FAIL,
    /** Not run, because an earlier check showed that running it would mean nothing or do harm. */
    SKIPPED
}
