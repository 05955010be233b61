package dev.conveyor.core.testing;

import java.io.IOException;
import java.net.Socket;
import java.util.Arrays;

/** The socket chores of {@link FaultProxy}: closing quietly, resetting, finding a marker in bytes. */
final class ProxySockets {
    /** How much of what a client sent last is kept, so that a marker split across two reads is still found. */
    static final int TAIL = 256;

    private ProxySockets() {
    }

    /** Where {@code needle} starts in {@code haystack} at or after {@code from}; -1 when it does not. */
    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Linger on with a zero timeout: close() sends an RST instead of a FIN. */
    static void resetQuietly(Socket s) {
        lingerZero(s);
        closeQuietly(s);
    }

    static void lingerZero(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed: nothing to reset
        }
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
