package dev.conveyor.core.testing;

import static dev.conveyor.core.testing.ProxySockets.closeQuietly;
import static dev.conveyor.core.testing.ProxySockets.indexOf;
import static dev.conveyor.core.testing.ProxySockets.lingerZero;
import static dev.conveyor.core.testing.ProxySockets.resetQuietly;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP forwarder on 127.0.0.1 between processes and the database that the test can turn
 * against them. Loopback only: it listens on the loopback address and forwards to a port of it.
 * Its modes, each for every open connection and every new one until {@link #pass()}:
 * <ul>
 *   <li>{@link #pass()}: bytes flow both ways, held bytes are delivered in order;
 *   <li>{@link #halfOpen(Direction)}: bytes one way are held while the other way flows; the sockets
 *       stay open, nothing fails (a path whose packets get lost one way: TCP neither delivers nor
 *       resets, so the bytes wait, as here, until the path heals or the connection is cut);
 *   <li>{@link #halfOpenAfter(String, Direction)}: passes until the client sends a statement that
 *       contains a marker (say, the claim's {@code ix_job_claim}), forwards that statement, then
 *       holds one way: "half-open in the middle of a claim";
 *   <li>{@link #halfOpenAfter(String, String, Direction)}: the same on one connection only, after a
 *       statement with a marker and then one with a second (the {@code COMMIT} of a completion):
 *       that connection's acknowledgement is lost while every other one flows;
 *   <li>{@link #blackhole()}: nothing either way, sockets open;
 *   <li>{@link #reset()}: an RST on every open connection (both ends), and with
 *       {@link #resetStorm()} on every new one too, until {@link #pass()};
 *   <li>{@link #latency(Direction, Duration)}: each chunk delivered that long after it was read;
 *   <li>{@link #loseClients()}: the clients' side of every connection closes while the database's
 *       side stays open and silent, until {@link #cutAll()} (a client host that lost power).
 * </ul>
 * {@link #retarget} cuts every connection and sends new ones to another port (a database server
 * restarted on a new port keeps its address for the clients).
 */
public final class FaultProxy implements AutoCloseable {
    /** Which way bytes travel: from the client to the server, or back. */
    public enum Direction { TO_SERVER, TO_CLIENT }

    private final ServerSocket listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    /** Guards the mode below; every change notifies the writers waiting on it. */
    private final Object gate = new Object();
    private final boolean[] held = new boolean[2];
    private final long[] latencyNanos = new long[2];
    private boolean storm;
    /** Set by {@link #loseClients()} until {@link #cutAll()}: a link's end leaves the database's side open. */
    private volatile boolean clientsLost;
    private byte[] trigger;
    private Direction triggerHolds;
    private int triggered;
    /** Armed by {@link #halfOpenAfter(String, String, Direction)} until it fires on one link. */
    private LinkTrigger linkTrigger;
    private volatile boolean closed;
    private volatile int targetPort;

    private FaultProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
    }

    public static FaultProxy start(int targetPort) {
        try {
            FaultProxy proxy = new FaultProxy(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()), targetPort);
            proxy.threads.submit(proxy::accept);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code jdbcUrl} with its host and port replaced by this proxy's. */
    public String through(String jdbcUrl) {
        return jdbcUrl.replaceFirst("//[^/]+/", "//127.0.0.1:" + port() + "/");
    }

    /** Connections open through the proxy right now. */
    public int openConnections() {
        return links.size();
    }

    /** Every mode off: bytes flow both ways at once, held bytes first; no storm, no latency, no trigger. */
    public void pass() {
        synchronized (gate) {
            held[0] = false;
            held[1] = false;
            latencyNanos[0] = 0;
            latencyNanos[1] = 0;
            storm = false;
            trigger = null;
            linkTrigger = null;
            links.forEach(link -> Arrays.fill(link.heldHere, false));
            gate.notifyAll();
        }
    }

    /** Holds the bytes going {@code direction}; the other way flows. */
    public void halfOpen(Direction direction) {
        synchronized (gate) {
            held[direction.ordinal()] = true;
            gate.notifyAll();
        }
    }

    /**
     * Passes until a chunk the client sends contains {@code marker} (ASCII, as in a statement's
     * text: Connector/J sends client-side prepared statements as text), forwards that chunk, then
     * holds {@code direction} as {@link #halfOpen} does. See {@link #triggered()}.
     */
    public void halfOpenAfter(String marker, Direction direction) {
        synchronized (gate) {
            trigger = marker.getBytes(StandardCharsets.US_ASCII);
            triggerHolds = direction;
            gate.notifyAll();
        }
    }

    /**
     * Passes until one connection sends a chunk containing {@code marker}, then a chunk containing
     * {@code then} (the same chunk may hold both), forwards that chunk, then holds {@code direction}
     * on that connection alone; other connections and new ones flow. Counted by {@link #triggered()}.
     */
    public void halfOpenAfter(String marker, String then, Direction direction) {
        synchronized (gate) {
            linkTrigger = new LinkTrigger(marker.getBytes(StandardCharsets.US_ASCII),
                    then.getBytes(StandardCharsets.US_ASCII), direction);
            gate.notifyAll();
        }
    }

    /** How many times an armed marker has fired. */
    public int triggered() {
        synchronized (gate) {
            return triggered;
        }
    }

    /** Nothing either way; sockets stay open. */
    public void blackhole() {
        synchronized (gate) {
            held[0] = true;
            held[1] = true;
            gate.notifyAll();
        }
    }

    /** An RST on both ends of every open connection; new ones are forwarded as before. */
    public void reset() {
        for (Link link : links) {
            link.reset();
        }
    }

    /** {@link #reset()}, and every new connection reset as soon as it is accepted, until {@link #pass()}. */
    public void resetStorm() {
        synchronized (gate) {
            storm = true;
        }
        reset();
    }

    /** Delivers each chunk going {@code direction} {@code delay} after it was read (order kept). */
    public void latency(Direction direction, Duration delay) {
        synchronized (gate) {
            latencyNanos[direction.ordinal()] = delay.toNanos();
            gate.notifyAll();
        }
    }

    /**
     * A client host that lost power: the clients' side of every connection closes, while the
     * database's side stays open and silent (the server hears no FIN, as from a host that vanished)
     * until {@link #cutAll()} or {@link #close()}.
     */
    public void loseClients() {
        clientsLost = true;
        for (Link link : links) {
            closeQuietly(link.client);
        }
    }

    /** Cuts every open connection; new ones go to {@code port}. */
    public void retarget(int port) {
        targetPort = port;
        cutAll();
    }

    /** Closes every open connection (an orderly close on both ends, not an RST), the silent ones of {@link #loseClients()} too. */
    public void cutAll() {
        clientsLost = false;
        for (Link link : links) {
            link.close();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                boolean resetNow;
                synchronized (gate) {
                    resetNow = storm;
                }
                if (resetNow) {
                    resetQuietly(client);
                } else {
                    threads.submit(() -> connect(client));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void connect(Socket client) {
        try {
            Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            Link link = new Link(client, server);
            links.add(link);
            if (closed) {
                link.close();
                return;
            }
            for (Direction d : Direction.values()) {
                BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
                threads.submit(() -> link.read(d, queue));
                threads.submit(() -> link.write(d, queue));
            }
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** Bytes read at {@code readAt}; {@code force}: the statement that fired a trigger passes its own hold. */
    private record Chunk(byte[] bytes, long readAt, boolean force) {
        static final Chunk EOF = new Chunk(null, 0, false);
    }

    /** One client connection and its connection to the target. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        /** The end of what the client sent last (see {@link ProxySockets#TAIL}); guarded by the gate. */
        private byte[] tail = new byte[0];
        /** The link trigger whose first marker this link has sent; guarded by the gate. */
        private LinkTrigger sawMarkerOf;
        /** Directions held on this link alone, by a link trigger; guarded by the gate. */
        private final boolean[] heldHere = new boolean[2];

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void read(Direction d, BlockingQueue<Chunk> queue) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = (d == Direction.TO_SERVER ? client : server).getInputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    byte[] bytes = Arrays.copyOf(buffer, n);
                    queue.add(new Chunk(bytes, System.nanoTime(), d == Direction.TO_SERVER && fires(bytes)));
                }
            } catch (IOException e) {
                // the socket closed or was reset: what was read still goes out, then the link ends
            }
            queue.add(Chunk.EOF);
        }

        /** Whether an armed trigger fires on {@code bytes}; if so, disarms it and starts holding. */
        private boolean fires(byte[] bytes) {
            synchronized (gate) {
                if (trigger == null && linkTrigger == null) {
                    return false;
                }
                byte[] window = ProxySockets.concat(tail, bytes);
                int fresh = tail.length; // a match must end in the new bytes: the tail's were searched before
                tail = Arrays.copyOfRange(window, Math.max(0, window.length - ProxySockets.TAIL), window.length);
                boolean fired = false;
                if (trigger != null && indexOf(window, trigger, fresh - trigger.length + 1) >= 0) {
                    held[triggerHolds.ordinal()] = true;
                    trigger = null;
                    triggered++;
                    fired = true;
                }
                if (linkTrigger != null && firesHere(linkTrigger, window, fresh)) {
                    heldHere[linkTrigger.holds().ordinal()] = true;
                    linkTrigger = null;
                    triggered++;
                    fired = true;
                }
                gate.notifyAll();
                return fired;
            }
        }

        /** Whether this link has now sent {@code t}'s marker and, after it, its second marker. */
        private boolean firesHere(LinkTrigger t, byte[] window, int fresh) {
            int from = fresh - t.then().length + 1;
            if (sawMarkerOf != t) {
                from = t.afterMarker(window, fresh);
                if (from < 0) {
                    return false;
                }
                sawMarkerOf = t;
            }
            return indexOf(window, t.then(), from) >= 0;
        }

        void write(Direction d, BlockingQueue<Chunk> queue) {
            // The streams are not closed on their own (that would close their socket): close() decides.
            try {
                OutputStream out = (d == Direction.TO_SERVER ? server : client).getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    awaitRelease(d, chunk);
                    if (chunk == Chunk.EOF) {
                        break;
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // a cut connection or the proxy closing
            } finally {
                close();
            }
        }

        /** Waits while {@code d} is held (unless the chunk fired the trigger) and until its latency has passed. */
        private void awaitRelease(Direction d, Chunk chunk) throws InterruptedException {
            synchronized (gate) {
                while (!closed) {
                    if ((held[d.ordinal()] || heldHere[d.ordinal()]) && !chunk.force()) {
                        gate.wait();
                        continue;
                    }
                    long wait = chunk.readAt() + latencyNanos[d.ordinal()] - System.nanoTime();
                    if (chunk == Chunk.EOF || wait <= 0) {
                        return;
                    }
                    TimeUnit.NANOSECONDS.timedWait(gate, wait);
                }
            }
        }

        /** Both ends set to reset before either closes: the pumps' own close on the first end's failure resets too. */
        void reset() {
            links.remove(this);
            lingerZero(client);
            lingerZero(server);
            closeQuietly(client);
            closeQuietly(server);
        }

        /** After {@link #loseClients()}, only the client's side: the database's stays open until {@link #cutAll()}. */
        void close() {
            closeQuietly(client);
            if (!clientsLost) {
                links.remove(this);
                closeQuietly(server);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        pass();
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        cutAll();
        threads.shutdownNow();
    }
}
