package io.hotswap.sagas.tenant;

import java.time.Duration;

/** How long to wait before the next attempt: 1 s after the first failure, doubling up to 5 minutes. */
public final class RetryBackOff {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofMinutes(5);

    private RetryBackOff() {
    }

    public static Duration after(int failedAttempts) {
        int doublings = Math.min(failedAttempts - 1, 20); // 2^20 s is far beyond MAX already
        Duration delay = FIRST.multipliedBy(1L << doublings);
        return delay.compareTo(MAX) > 0 ? MAX : delay;
    }
}
