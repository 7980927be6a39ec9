package io.hotswap.api.page;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.api.error.InvalidInputException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Cursors as clients see them: opaque, URL-safe text ({@code base64url(JSON).base64url(MAC)}) signed with
 * HMAC-SHA256, so that one altered or made up is refused instead of read. The key is derived from the server's secret:
 * a cursor stays good across restarts and on every replica that shares the secret.
 */
public final class PageCursors {

    private static final String ALGORITHM = "HmacSHA256";
    /** Half of the MAC: forging it is still out of reach, and the cursor stays short. */
    private static final int MAC_BYTES = 16;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public PageCursors(byte[] secret) {
        // a key of its own, so that nothing signed for one purpose passes for the other
        this.key = new SecretKeySpec(mac(new SecretKeySpec(secret, ALGORITHM),
                "hotswap page cursors".getBytes(StandardCharsets.UTF_8)), ALGORITHM);
    }

    public String write(PageCursor cursor) {
        try {
            byte[] body = JSON.writeValueAsBytes(cursor);
            return ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(signature(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A cursor could not be written as JSON", e);
        }
    }

    /**
     * The cursor {@code text} stands for, if this server signed it for {@code listing}.
     *
     * @throws InvalidInputException (field {@code after}) for anything else
     */
    public PageCursor read(String text, String listing) {
        PageCursor cursor = verified(text);
        if (cursor == null || !cursor.listing().equals(listing) || cursor.page() < 0 || cursor.after().isEmpty()) {
            throw new InvalidInputException("after", "is not a cursor of this listing: pass the 'next' of one of its "
                    + "pages as it is, or leave 'after' out to start from the first page");
        }
        return cursor;
    }

    /**
     * The cursor to the page after this one, or null when none follows: {@code read} holds the page's rows and, if
     * another page follows, the one row past it ({@link PageRequest#limit()}); {@code key} is the listing's sort key.
     */
    public <T> String next(String listing, Map<String, String> filters, PageRequest page, List<T> read,
                           Function<T, List<String>> key) {
        if (read.size() <= page.size()) return null;
        return write(new PageCursor(listing, filters, key.apply(read.get(page.size() - 1)), page.page() + 1));
    }

    private PageCursor verified(String text) {
        int dot = text.indexOf('.');
        if (dot < 0) return null;
        try {
            byte[] body = DECODER.decode(text.substring(0, dot));
            byte[] signature = DECODER.decode(text.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, signature(body))) return null;
            PageCursor cursor = JSON.readValue(body, PageCursor.class);
            return cursor.listing() == null ? null : cursor;
        } catch (IllegalArgumentException | IOException e) {
            return null; // not base64, or signed by us in a shape this build does not know
        }
    }

    private byte[] signature(byte[] body) {
        return Arrays.copyOf(mac(key, body), MAC_BYTES);
    }

    private static byte[] mac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every Java runtime", e);
        }
    }
}
