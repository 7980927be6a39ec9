package io.hotswap.rest.projection;

import org.junit.jupiter.api.Test;

import static io.hotswap.rest.projection.Projections.DeadLetters.NONE;
import static org.assertj.core.api.Assertions.assertThat;

class ProjectionStatusTest {

    @Test
    void aReplayThatReachedTheHeadIsOverWithoutANewEvent() {
        assertThat(Projections.Status.of("audit-trail", 9653, 9653, true, NONE))
                .isEqualTo(new Projections.Status("audit-trail", 9653, 9653, false, 100.0, NONE));
    }

    @Test
    void aReplayBehindTheHeadShowsHowFarItGot() {
        assertThat(Projections.Status.of("audit-trail", 4999, 9999, true, NONE))
                .isEqualTo(new Projections.Status("audit-trail", 4999, 9999, true, 50.0, NONE));
        assertThat(Projections.Status.of("audit-trail", -1, 9999, true, NONE).progress()).isZero();
    }

    @Test
    void aProjectionBehindWithoutAReplayIsJustBehind() {
        assertThat(Projections.Status.of("tenant-view", 5, 7, false, NONE).replaying()).isFalse();
        assertThat(Projections.Status.of("tenant-view", -1, -1, false, NONE).progress()).isEqualTo(100.0);
    }
}
