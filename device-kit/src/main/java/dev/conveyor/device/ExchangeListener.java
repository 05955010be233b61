package dev.conveyor.device;

/**
 * Hears every request a device client makes, after it ends, on the calling thread. A handler step
 * passes one that records each exchange as a job event, so the event log shows exactly which
 * requests a check was based on.
 */
@FunctionalInterface
public interface ExchangeListener {
    ExchangeListener NONE = exchange -> {};

    void onExchange(Exchange exchange);
}
