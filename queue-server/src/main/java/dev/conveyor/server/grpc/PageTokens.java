package dev.conveyor.server.grpc;

import dev.conveyor.core.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Page tokens that clients cannot read, forge or reuse with other filters: a version byte, the
 * cursor, and an HMAC-SHA256 (cut to 128 bits, as RFC 2104 allows) over the cursor and the
 * request's filters, base64url. The filters are not in the token; they are recomputed from the
 * next request, so a token used with different filters fails the check like a forged one.
 *
 * <p>Servers behind one load balancer must share the key, or a page fetched from another server
 * is refused; with none configured each server draws its own at start.
 */
public final class PageTokens {
    public static final int KEY_BYTES = 32;
    private static final byte VERSION = 1;
    private static final int MAC_BYTES = 16;
    private static final int TOKEN_BYTES = 1 + Long.BYTES + MAC_BYTES;

    private final SecretKeySpec key;

    public PageTokens(byte[] key) {
        if (key == null || key.length < KEY_BYTES) {
            throw new IllegalArgumentException("the page token key must have at least " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public static PageTokens withRandomKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return new PageTokens(key);
    }

    /** @param scope the request's filters, written the same way for every page */
    String issue(long cursor, String scope) {
        ByteBuffer token = ByteBuffer.allocate(TOKEN_BYTES).put(VERSION).putLong(cursor);
        token.put(mac(cursor, scope));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    /** The cursor inside a token issued for the same scope; INVALID_ARGUMENT for anything else. */
    long open(String token, String scope) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (raw.length != TOKEN_BYTES || raw[0] != VERSION) {
            throw invalid();
        }
        ByteBuffer buffer = ByteBuffer.wrap(raw, 1, TOKEN_BYTES - 1);
        long cursor = buffer.getLong();
        byte[] given = new byte[MAC_BYTES];
        buffer.get(given);
        if (!MessageDigest.isEqual(given, mac(cursor, scope))) {
            throw invalid();
        }
        return cursor;
    }

    private byte[] mac(long cursor, String scope) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(ByteBuffer.allocate(Long.BYTES).putLong(cursor).array());
            byte[] full = mac.doFinal(scope.getBytes(StandardCharsets.UTF_8));
            byte[] cut = new byte[MAC_BYTES];
            System.arraycopy(full, 0, cut, 0, MAC_BYTES);
            return cut;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException("page_token",
                "must be a next_page_token returned for the same request filters, unaltered");
    }
}
