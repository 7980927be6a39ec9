package io.hotswap.ops.ratelimit;

import java.time.Instant;

/** Limits count per clock minute: a test that counts requests starts early in a minute so it does not straddle two. */
final class MinuteWindow {

    private MinuteWindow() {
    }

    static void awaitRoomInTheCurrentMinute() {
        long second = Instant.now().getEpochSecond() % 60;
        if (second < 45) return;
        try {
            Thread.sleep((61 - second) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
