package dev.conveyor.tor.driver;

import java.net.URI;

/** The switch answered with a JSON-RPC error: it refused a command. */
public final class SwitchCommandException extends SwitchException {
    private final int code;
    private final String command;

    /**
     * @param command the command the switch refused, or empty when the error names none
     */
    public SwitchCommandException(URI endpoint, int code, String errorMessage, String command) {
        super(endpoint, "JSON-RPC error " + code + ": " + errorMessage
                + (command.isEmpty() ? "" : " (command: " + command + ")"), null);
        this.code = code;
        this.command = command;
    }

    public int code() {
        return code;
    }

    public String command() {
        return command;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
