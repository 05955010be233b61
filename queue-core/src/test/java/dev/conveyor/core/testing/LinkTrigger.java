package dev.conveyor.core.testing;

/**
 * The trigger of {@link FaultProxy#halfOpenAfter(String, String, FaultProxy.Direction)}: a
 * connection that sends {@code marker}, then {@code then}, holds {@code holds} on its own.
 */
record LinkTrigger(byte[] marker, byte[] then, FaultProxy.Direction holds) {
    /**
     * Where the marker ends in {@code window} when it ends in the bytes from {@code fresh} on (the
     * ones before were searched with the previous read); -1 when it does not.
     */
    int afterMarker(byte[] window, int fresh) {
        int at = ProxySockets.indexOf(window, marker, fresh - marker.length + 1);
        return at < 0 ? -1 : at + marker.length;
    }
}
