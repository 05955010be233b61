package dev.conveyor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Runs {@code n} numbered tasks on a few threads that take the next number as they free up. */
final class Parallel {

    /** A task for one number; each thread gets its own, so it may keep a connection. */
    interface Worker extends AutoCloseable {
        void run(int index) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    interface WorkerFactory {
        Worker create() throws Exception;
    }

    private Parallel() {
    }

    /**
     * Runs tasks 0 … n-1 and returns the nanoseconds from the moment every thread was ready to
     * the end of the last task (worker creation, a connection say, is not timed).
     *
     * @throws BenchException with the first failure; the other threads stop at their next task
     */
    static long run(int threads, int n, WorkerFactory factory) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofPlatform().name("bench-" + t).start(() -> {
                Worker worker;
                try {
                    worker = factory.create();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    return;
                } finally {
                    ready.countDown();
                }
                try (worker) {
                    go.await();
                    for (int i = next.getAndIncrement(); i < n && failure.get() == null; i = next.getAndIncrement()) {
                        worker.run(i);
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        ready.await();
        long start = System.nanoTime();
        go.countDown();
        for (Thread t : started) {
            t.join();
        }
        long elapsed = System.nanoTime() - start;
        if (failure.get() != null) {
            throw new BenchException("a benchmark thread failed: " + failure.get(), failure.get());
        }
        return elapsed;
    }
}
