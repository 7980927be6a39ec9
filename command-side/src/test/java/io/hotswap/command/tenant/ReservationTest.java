package io.hotswap.command.tenant;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReservationTest {

    @Test
    void aReservationFromASnapshotTakenBeforeInFlightFiguresWereRecordedHoldsItsWholeSet() throws Exception {
        String snapshotted = """
                {"deploymentId": "d2", "pluginId": "weather", "pluginVersion": "2.0.0", "environment": "Production",
                 "cpu": 1.5, "memoryGB": 3.0, "dependencies": [], "settled": false, "replaces": null}""";

        Reservation reservation = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(snapshotted, Reservation.class);

        assertThat(reservation.countedCpu()).isEqualTo(1.5);
        assertThat(reservation.countedMemoryGB()).isEqualTo(3.0);
        assertThat(reservation.instances()).isZero(); // unknown: an upgrade of it reserves the whole new set
    }

    @Test
    void anUnsettledReservationCountsWhatItAddsInFlightAndASettledOneItsWholeSet() {
        Reservation inFlight = new Reservation("d2", "weather", "2.0.0", "Production", 10, 5.0, 2.5, 0.5, 0.25,
                java.util.List.of(), false, null);

        assertThat(inFlight.countedCpu()).isEqualTo(0.5);
        assertThat(inFlight.settle(null).countedCpu()).isEqualTo(5.0);
        assertThat(inFlight.settle(null).countedMemoryGB()).isEqualTo(2.5);
    }
}
