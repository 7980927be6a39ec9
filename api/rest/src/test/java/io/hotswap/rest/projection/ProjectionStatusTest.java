package io.hotswap.rest.projection;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.hotswap.rest.projection.Projections.DeadLetters.NONE;
import static org.assertj.core.api.Assertions.assertThat;

class ProjectionStatusTest {

    @Test
    void aReplayThatReachedTheHeadIsOverWithoutANewEvent() {
        assertThat(Projections.Status.of("audit-trail", 9653, 9653, true, NONE))
                .isEqualTo(new Projections.Status("audit-trail", 9653, 9653, false, 100.0, null, NONE));
    }

    @Test
    void aReplayBehindTheHeadShowsHowFarItGot() {
        assertThat(Projections.Status.of("audit-trail", 4999, 9999, true, NONE))
                .isEqualTo(new Projections.Status("audit-trail", 4999, 9999, true, 50.0, null, NONE));
        assertThat(Projections.Status.of("audit-trail", -1, 9999, true, NONE).progress()).isZero();
    }

    @Test
    void aProjectionBehindWithoutAReplayIsJustBehind() {
        assertThat(Projections.Status.of("tenant-view", 5, 7, false, NONE).replaying()).isFalse();
        assertThat(Projections.Status.of("tenant-view", -1, -1, false, NONE).progress()).isEqualTo(100.0);
    }

    @Test
    void aRunningReplayShowsItsPaceAndTheTimeLeftAtThatPace() {
        Instant started = Instant.parse("2026-11-28T00:00:00Z");
        Projections.Sighting firstSeen = new Projections.Sighting(started, 999);
        Projections.Status status = Projections.Status.of("audit-trail", 25_999, 100_999, true, NONE, firstSeen,
                started.plusSeconds(10)); // 25,000 positions in 10 s, 75,000 to go
        assertThat(status.speed()).isEqualTo(new Projections.ReplaySpeed(2500.0, 30));
        assertThat(Projections.Status.of("audit-trail", 999, 100_999, true, NONE, firstSeen, started.plusSeconds(10))
                .speed()).as("not moved since first seen: no pace yet").isNull();
        assertThat(Projections.Status.of("audit-trail", 100_999, 100_999, true, NONE, firstSeen, started.plusSeconds(40))
                .speed()).as("over").isNull();
    }
}
