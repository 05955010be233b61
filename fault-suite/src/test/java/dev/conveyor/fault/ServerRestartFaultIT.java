package dev.conveyor.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.testing.Conditions;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue server SIGKILLed and started again on the same port while clients submit, each job
 * with its own idempotency key, retrying what failed: every key ends as exactly one job, the one
 * the client was told about.
 */
@ExtendWith(TestDatabase.class)
class ServerRestartFaultIT {
    private static final Logger log = LoggerFactory.getLogger(ServerRestartFaultIT.class);
    private static final String QUEUE = "fault-restart";
    private static final int CLIENTS = 3;
    private static final int KEYS_PER_CLIENT = Scale.of(150, 2_000);
    private static final int RESTARTS = Scale.of(1, 5);
    private static final Duration DEADLINE = Duration.ofSeconds(Scale.of(240, 1_200));

    @Test
    void everyKeyedSubmissionExistsOnceAcrossServerRestarts(TestDb db) throws Exception {
        db.open(); // migrates the schema the server processes validate
        int port = ServerProcess.freePort();
        ServerProcess server = ServerProcess.start("server-0", port, db.jdbcUrl(), db.user(), db.password());
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create())
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<KeyedSubmitter> clients = new ArrayList<>();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                KeyedSubmitter client = new KeyedSubmitter(channel, QUEUE, "client" + c, KEYS_PER_CLIENT, true, DEADLINE);
                clients.add(client);
                pool.submit(client);
            }
            int total = CLIENTS * KEYS_PER_CLIENT;
            for (int r = 1; r <= RESTARTS; r++) {
                int target = total * r / (RESTARTS + 1);
                Conditions.await(DEADLINE, target + " submissions accepted before restart " + r,
                        () -> accepted(clients) >= target);
                server.kill();
                log.info("restart {}/{}: server SIGKILLed after {} accepted submissions", r, RESTARTS, target);
                server = ServerProcess.start("server-" + r, port, db.jdbcUrl(), db.user(), db.password());
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("clients done").isTrue();

            Map<String, Long> told = new HashMap<>();
            clients.forEach(c -> {
                assertThat(c.unexpected).as("only UNAVAILABLE/deadline/cancelled while the server was down").isEmpty();
                told.putAll(c.accepted);
            });
            assertThat(told).hasSize(total);
            Map<String, Long> stored = new HashMap<>();
            db.queryRows("SELECT idempotency_key, id FROM job WHERE queue = ?", QUEUE)
                    .forEach(r -> stored.merge((String) r.get("idempotency_key"), ((Number) r.get("id")).longValue(),
                            (a, b) -> -1L));
            assertThat(db.queryLong("SELECT COUNT(*) FROM job WHERE queue = ?", QUEUE)).as("one job per key")
                    .isEqualTo(total);
            assertThat(stored).as("each key's one job is the one its client was told about").isEqualTo(told);
            log.info("{} keyed submissions, {} server restarts, {} retried calls: every key exactly one job", total,
                    RESTARTS, clients.stream().mapToInt(c -> c.retries.get()).sum());
        } finally {
            pool.shutdownNow();
            channel.shutdownNow();
            server.close();
        }
    }

    private static int accepted(List<KeyedSubmitter> clients) {
        return clients.stream().mapToInt(c -> c.accepted.size()).sum();
    }
}
