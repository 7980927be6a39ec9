package io.hotswap.sagas.tenant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBackOffTest {

    @ParameterizedTest(name = "after {0} failed attempts: {1} s")
    @CsvSource({"1, 1", "2, 2", "3, 4", "8, 128", "9, 256", "10, 300", "1000, 300"})
    void doublesFromOneSecondUpToFiveMinutes(int failedAttempts, long seconds) {
        assertThat(RetryBackOff.after(failedAttempts)).isEqualTo(Duration.ofSeconds(seconds));
    }
}
