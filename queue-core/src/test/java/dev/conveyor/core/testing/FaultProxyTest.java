package dev.conveyor.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.core.testing.FaultProxy.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each mode of {@link FaultProxy} over real sockets on 127.0.0.1, between a client socket and a
 * small server that records what it receives and can push bytes to its clients unasked.
 */
class FaultProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long "nothing arrives" is watched for. */
    private static final int QUIET_MILLIS = 400;

    private Peer peer;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        peer = new Peer();
        proxy = FaultProxy.start(peer.port());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        peer.close();
    }

    @Test
    void passForwardsBothWays() throws IOException {
        try (Socket client = connect()) {
            send(client, "ping");
            assertThat(receive(client, 4)).isEqualTo("ping");
            assertThat(peer.received()).isEqualTo("ping");
            assertThat(proxy.through("jdbc:mysql://db.example:3306/x?a=b"))
                    .isEqualTo("jdbc:mysql://127.0.0.1:" + proxy.port() + "/x?a=b");
        }
    }

    @Test
    void blackholeHoldsBothWaysWithTheSocketsOpenAndPassDeliversWhatWasHeld() throws IOException {
        try (Socket client = connect()) {
            send(client, "a");
            assertThat(receive(client, 1)).isEqualTo("a");
            proxy.blackhole();
            send(client, "b");
            peer.push("c");
            assertNothingArrives(client);
            assertThat(peer.received()).isEqualTo("a");
            assertThat(client.isClosed()).isFalse();
            assertThat(proxy.openConnections()).isEqualTo(1);

            proxy.pass();
            assertThat(receive(client, 2)).isIn("bc", "cb");
            Conditions.await(WAIT, "the held byte at the server", () -> peer.received().equals("ab"));
        }
    }

    @Test
    void halfOpenTowardsTheClientLetsStatementsArriveButNoAnswerComeBack() throws IOException {
        try (Socket client = connect()) {
            proxy.halfOpen(Direction.TO_CLIENT);
            send(client, "update");
            Conditions.await(WAIT, "the statement at the server", () -> peer.received().equals("update"));
            assertNothingArrives(client);
            proxy.pass();
            assertThat(receive(client, 6)).isEqualTo("update");
        }
    }

    @Test
    void halfOpenTowardsTheServerHoldsStatementsWhileTheServerStillReachesTheClient() throws IOException {
        try (Socket client = connect()) {
            send(client, "x");
            assertThat(receive(client, 1)).isEqualTo("x");
            proxy.halfOpen(Direction.TO_SERVER);
            send(client, "commit");
            peer.push("!");
            assertThat(receive(client, 1)).isEqualTo("!");
            assertThat(peer.received()).isEqualTo("x");
            proxy.pass();
            Conditions.await(WAIT, "the held statement at the server", () -> peer.received().equals("xcommit"));
        }
    }

    @Test
    void aTriggerForwardsTheMarkedStatementThenHoldsTheAnswers() throws IOException {
        try (Socket client = connect()) {
            proxy.halfOpenAfter("FOR UPDATE", Direction.TO_CLIENT);
            send(client, "select 1;");
            assertThat(receive(client, 9)).isEqualTo("select 1;");
            assertThat(proxy.triggered()).isZero();

            send(client, "SELECT id FROM job FOR UPDATE SKIP LOCKED");
            Conditions.await(WAIT, "the marked statement at the server",
                    () -> peer.received().endsWith("SKIP LOCKED"));
            assertThat(proxy.triggered()).isEqualTo(1);
            assertNothingArrives(client);
        }
    }

    @Test
    void aTriggerHoldingTheServerWayStillDeliversTheMarkedStatementItself() throws IOException {
        try (Socket client = connect()) {
            proxy.halfOpenAfter("SUCCEEDED", Direction.TO_SERVER);
            send(client, "UPDATE job SET state = 'SUCCEEDED'");
            Conditions.await(WAIT, "the marked statement at the server", () -> peer.received().endsWith("'SUCCEEDED'"));
            assertThat(receive(client, 34)).endsWith("'SUCCEEDED'");
            send(client, "COMMIT");
            assertNothingArrives(client);
            assertThat(peer.received()).doesNotContain("COMMIT");
        }
    }

    @Test
    void aLinkTriggerHoldsTheAnswersOfTheOneConnectionThatSentBothMarkers() throws IOException {
        try (Socket other = connect(); Socket completing = connect()) {
            proxy.halfOpenAfter("'SUCCEEDED'", "commit", Direction.TO_CLIENT);
            send(other, "commit");
            assertThat(receive(other, 6)).as("a commit before the marker passes").isEqualTo("commit");
            send(completing, "UPDATE job SET state = 'SUCCEEDED'");
            assertThat(receive(completing, 34)).endsWith("'SUCCEEDED'");
            assertThat(proxy.triggered()).isZero();

            send(completing, "commit");
            Conditions.await(WAIT, "the commit at the server", () -> peer.received().endsWith("'SUCCEEDED'commit"));
            assertThat(proxy.triggered()).isEqualTo(1);
            assertNothingArrives(completing);
            send(other, "select 2");
            assertThat(receive(other, 8)).as("the other connection still flows").isEqualTo("select 2");
            try (Socket fresh = connect()) {
                send(fresh, "select 3");
                assertThat(receive(fresh, 8)).as("and so does a new one").isEqualTo("select 3");
            }
            proxy.pass();
            assertThat(receive(completing, 6)).as("pass delivers what was held").isEqualTo("commit");
        }
    }

    @Test
    void resetSendsAnRstToBothEnds() throws IOException {
        try (Socket client = connect()) {
            send(client, "a");
            assertThat(receive(client, 1)).isEqualTo("a");
            proxy.reset();
            assertThatThrownBy(() -> readUntilFailure(client)).isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
            Conditions.await(WAIT, "the server's end closed", () -> !peer.failures().isEmpty());
            assertThat(peer.failures()).as("how the server's end closed").singleElement().asString().contains("reset");
        }
        try (Socket after = connect()) {
            send(after, "b");
            assertThat(receive(after, 1)).as("a reset is one blow, not a storm").isEqualTo("b");
        }
    }

    @Test
    void aResetStormResetsEveryNewConnectionUntilPass() throws IOException {
        proxy.resetStorm();
        for (int i = 0; i < 3; i++) {
            try (Socket client = connect()) {
                assertThatThrownBy(() -> {
                    send(client, "a");
                    readUntilFailure(client);
                }).isInstanceOf(SocketException.class);
            }
        }
        assertThat(peer.received()).isEmpty();
        proxy.pass();
        try (Socket client = connect()) {
            send(client, "ok");
            assertThat(receive(client, 2)).isEqualTo("ok");
        }
    }

    @Test
    void latencyDelaysEachDirectionByItsOwnAmount() throws IOException {
        try (Socket client = connect()) {
            proxy.latency(Direction.TO_SERVER, Duration.ofMillis(300));
            long sent = System.nanoTime();
            send(client, "a");
            Conditions.await(WAIT, "the byte at the server", () -> peer.received().equals("a"));
            long atServer = (System.nanoTime() - sent) / 1_000_000;
            assertThat(receive(client, 1)).isEqualTo("a");
            assertThat(atServer).as("ms to the server").isGreaterThanOrEqualTo(300);

            proxy.latency(Direction.TO_SERVER, Duration.ZERO);
            proxy.latency(Direction.TO_CLIENT, Duration.ofMillis(500));
            sent = System.nanoTime();
            send(client, "b");
            Conditions.await(WAIT, "the byte at the server", () -> peer.received().equals("ab"));
            assertThat((System.nanoTime() - sent) / 1_000_000).as("ms to the server, no latency that way")
                    .isLessThan(450);
            assertThat(receive(client, 1)).isEqualTo("b");
            assertThat((System.nanoTime() - sent) / 1_000_000).as("ms for the round trip").isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void aClientThatLostPowerLeavesTheServersSideOpenAndSilentUntilCut() throws IOException {
        Socket client = connect();
        send(client, "begin");
        assertThat(receive(client, 5)).isEqualTo("begin");
        proxy.loseClients();
        assertThatThrownBy(() -> readUntilFailure(client)).isInstanceOf(SocketException.class);
        client.close();
        peer.push("?");
        Conditions.await(WAIT, "the proxy still holding the server's side", () -> proxy.openConnections() == 1);
        assertThat(peer.failures()).as("the server heard nothing of the client's end").isEmpty();
        proxy.cutAll();
        Conditions.await(WAIT, "the server's side closed", () -> !peer.failures().isEmpty());
    }

    @Test
    void listensOnLoopbackOnly() throws IOException {
        try (Socket client = connect()) {
            assertThat(client.getInetAddress().isLoopbackAddress()).isTrue();
            assertThat(peer.clientAddresses()).allMatch(InetAddress::isLoopbackAddress);
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static String receive(Socket s, int n) throws IOException {
        return new String(s.getInputStream().readNBytes(n), StandardCharsets.US_ASCII);
    }

    private static void assertNothingArrives(Socket s) throws IOException {
        s.setSoTimeout(QUIET_MILLIS);
        try {
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        } finally {
            s.setSoTimeout((int) WAIT.toMillis());
        }
    }

    private static void readUntilFailure(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        while (in.read() >= 0) {
            // drain; an RST ends it with "Connection reset"
        }
        throw new SocketException("closed without a reset");
    }

    /** A server that records what it receives, echoes it, and pushes bytes to every client on demand. */
    private static final class Peer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private final StringBuffer received = new StringBuffer();
        private final List<Socket> clients = new CopyOnWriteArrayList<>();
        private final List<String> failures = new CopyOnWriteArrayList<>();

        Peer() throws IOException {
            threads.submit(this::accept);
        }

        int port() {
            return listener.getLocalPort();
        }

        String received() {
            return received.toString();
        }

        List<String> failures() {
            return failures;
        }

        List<InetAddress> clientAddresses() {
            return clients.stream().map(Socket::getInetAddress).toList();
        }

        void push(String text) throws IOException {
            for (Socket s : clients) {
                synchronized (s) {
                    send(s, text);
                }
            }
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    clients.add(s);
                    threads.submit(() -> echo(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void echo(Socket s) {
            byte[] buffer = new byte[1024];
            try {
                InputStream in = s.getInputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
                    synchronized (s) {
                        s.getOutputStream().write(buffer, 0, n);
                    }
                }
                failures.add("eof");
            } catch (IOException e) {
                failures.add(String.valueOf(e.getMessage()));
            } finally {
                clients.remove(s);
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : clients) {
                s.close();
            }
            threads.shutdownNow();
        }
    }
}
