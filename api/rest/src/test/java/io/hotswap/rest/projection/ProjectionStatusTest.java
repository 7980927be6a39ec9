package io.hotswap.rest.projection;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectionStatusTest {

    @Test
    void aReplayThatReachedTheHeadIsOverWithoutANewEvent() {
        assertThat(Projections.Status.of("audit-trail", 9653, 9653, true))
                .isEqualTo(new Projections.Status("audit-trail", 9653, 9653, false, 100.0));
    }

    @Test
    void aReplayBehindTheHeadShowsHowFarItGot() {
        assertThat(Projections.Status.of("audit-trail", 4999, 9999, true))
                .isEqualTo(new Projections.Status("audit-trail", 4999, 9999, true, 50.0));
        assertThat(Projections.Status.of("audit-trail", -1, 9999, true).progress()).isZero();
    }

    @Test
    void aProjectionBehindWithoutAReplayIsJustBehind() {
        assertThat(Projections.Status.of("tenant-view", 5, 7, false).replaying()).isFalse();
        assertThat(Projections.Status.of("tenant-view", -1, -1, false).progress()).isEqualTo(100.0);
    }
}
