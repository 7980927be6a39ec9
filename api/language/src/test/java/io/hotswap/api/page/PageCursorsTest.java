package io.hotswap.api.page;

import io.hotswap.api.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageCursorsTest {

    private final PageCursors cursors = new PageCursors("the server's secret, at least 32 bytes".getBytes());
    private final PageCursor cursor = new PageCursor("audit", PageCursor.filters("tenantId", "tenant-acme", "eventType", null),
            List.of("42", "event-42", "2025-01-31T12:00:00Z"), 3);

    @Test
    void readsBackWhatItWrote() {
        String text = cursors.write(cursor);

        assertThat(text).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(cursors.read(text, "audit")).isEqualTo(cursor);
        assertThat(cursor.filters()).isEqualTo(Map.of("tenantId", "tenant-acme"));
    }

    @Test
    void refusesACursorOfAnotherListingOrSecret() {
        String text = cursors.write(cursor);

        assertRefused(() -> cursors.read(text, "tenants"));
        assertRefused(() -> new PageCursors("another server's secret, 32 bytes or more".getBytes()).read(text, "audit"));
    }

    @Test
    void refusesWhatWasAlteredOrIsNoCursor() {
        String text = cursors.write(cursor);
        String body = text.substring(0, text.indexOf('.'));
        String otherTenant = new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8)
                .replace("tenant-acme", "tenant-evil");
        String rewritten = Base64.getUrlEncoder().withoutPadding().encodeToString(otherTenant.getBytes(StandardCharsets.UTF_8))
                + text.substring(text.indexOf('.'));

        for (String refused : List.of(rewritten, body, body + ".", "." + text, "", "garbage", "a.b", "%%%.%%%",
                text.substring(0, text.length() - 2), text + "x")) {
            assertRefused(() -> cursors.read(refused, "audit"));
        }
    }

    @Test
    void leadsOnOnlyWhenAnotherPageFollows() {
        PageRequest page = new PageRequest(0, 2);
        assertThat(cursors.next("audit", Map.of(), page, List.of("a", "b"), List::of)).isNull();

        String next = cursors.next("audit", Map.of(), page, List.of("a", "b", "c"), List::of);

        assertThat(cursors.read(next, "audit")).isEqualTo(new PageCursor("audit", Map.of(), List.of("b"), 1));
        assertThat(page.shown(List.of("a", "b", "c"))).containsExactly("a", "b");
    }

    private static void assertRefused(Runnable read) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.errors().get(0).field()).isEqualTo("after"));
    }
}
