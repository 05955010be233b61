package dev.conveyor.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP forwarder on 127.0.0.1 between processes and the database that the test can turn
 * against them: {@link #freeze()} holds every byte in both directions while the connections stay
 * open (a stalled network: nothing fails, nothing arrives) until {@link #thaw()}; {@link #retarget}
 * cuts every connection and sends new ones to another port (a database server restarted on a
 * new port keeps its address for the clients).
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** The database's side of each connection; added by the connecting threads. */
    private final Set<Socket> serverSides = ConcurrentHashMap.newKeySet();
    /** Set by {@link #loseClients()}: the pumps leave the database's sides open. */
    private volatile boolean holdServerSides;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Object gate = new Object();
    /** Written by the test thread, read by the pumps under {@link #gate}. */
    private boolean frozen;
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

    public void freeze() {
        synchronized (gate) {
            frozen = true;
        }
    }

    public void thaw() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    /** Cuts every open connection; new ones go to {@code port}. */
    public void retarget(int port) {
        targetPort = port;
        cutAll();
    }

    /**
     * A client host that lost power: the clients' side of every connection closes, while the
     * database's side stays open and silent (the server hears no FIN, as from a host that vanished)
     * until {@link #cutAll()} or {@link #close()}.
     */
    public void loseClients() {
        holdServerSides = true;
        for (Socket s : sockets) {
            if (!serverSides.contains(s)) {
                closeQuietly(s);
            }
        }
    }

    public void cutAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                threads.submit(() -> connect(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void connect(Socket client) {
        try {
            Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(server);
            serverSides.add(server);
            threads.submit(() -> pump(client, server));
            threads.submit(() -> pump(server, client));
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        // The streams are not closed on their own: closing one closes its socket, and the finally
        // below decides which sockets close.
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitThaw();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // a cut connection or the proxy closing: the other direction ends too
        } finally {
            closeQuietly(from);
            if (!(holdServerSides && serverSides.contains(to))) {
                closeQuietly(to);
            }
        }
    }

    private void awaitThaw() throws InterruptedException {
        synchronized (gate) {
            while (frozen) {
                gate.wait();
            }
        }
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        serverSides.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        thaw();
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        cutAll();
        threads.shutdownNow();
    }
}
