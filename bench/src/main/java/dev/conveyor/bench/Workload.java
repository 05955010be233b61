package dev.conveyor.bench;

/** The workloads of BENCHMARK.md. */
enum Workload {
    /** Throughput: enqueue one at a time and in batches, then drain with one worker process. */
    W1,
    /** Latency from an acknowledged submission to the start of its handler, on idle workers. */
    W2,
    /** Recovery of the jobs of a worker process killed with SIGKILL. */
    W3,
    /** W1's drain over a table holding a long finished history. */
    W4,
    /** W1's drain beside a backlog of jobs scheduled ahead and retries waiting out a backoff. */
    W5
}
