package dev.conveyor.core;

import java.time.Duration;
import java.util.Map;

/** @param oldestReadyAge how long the oldest due READY job has waited; zero when none */
public record QueueStats(String queue, Map<JobState, Long> depth, Duration oldestReadyAge, boolean paused) {
}
