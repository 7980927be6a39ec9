package io.hotswap.api.audit;

import io.hotswap.api.error.FieldError;
import io.hotswap.api.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditEventFilterTest {

    @Test
    void takesEveryPartAsTextAndBlankAsNotGiven() {
        assertThat(AuditEventFilter.parse("tenant-acme-corp", "", "DeploymentStarted", "2026-11-26T16:00:00Z",
                "2026-11-26T18:00:00+01:00", "1842", "500"))
                .isEqualTo(new AuditEventFilter("tenant-acme-corp", null, "DeploymentStarted",
                        Instant.parse("2026-11-26T16:00:00Z"), Instant.parse("2026-11-26T17:00:00Z"), 1842L, 500L));
        assertThat(AuditEventFilter.parse(null, null, null, null, null, " ", null))
                .isEqualTo(new AuditEventFilter(null, null, null, null, null, null, null));
    }

    @Test
    void namesEveryWrongPartAtOnce() {
        assertThatThrownBy(() -> AuditEventFilter.parse(null, null, null, "yesterday", "2026-01-01T00:00:00Z", "-1",
                "1000001"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("from", "after", "limit"));
        assertThatThrownBy(() -> AuditEventFilter.parse(null, null, null, null, null, "twelve", "0"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).containsExactly(
                        new FieldError("after", "'twelve' is not a whole number"),
                        new FieldError("limit", "must be between 1 and 1000000, was 0")));
        assertThatThrownBy(() -> AuditEventFilter.parse("a\u0001b", null, null, "2026\u0000", null, null, null))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("tenantId", "from"));
    }

    @Test
    void fromMayEqualToButNotComeAfterIt() {
        assertThat(AuditEventFilter.parse(null, null, null, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", null, null)
                .from()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThatThrownBy(() -> AuditEventFilter.parse(null, null, null, "2026-01-02T00:00:00Z",
                "2026-01-01T00:00:00Z", null, null))
                .isInstanceOf(InvalidInputException.class).hasMessage(
                        "from: must not be after to (2026-01-01T00:00:00Z), was 2026-01-02T00:00:00Z");
    }

    @Test
    void aTenantPrincipalsFilterIsNarrowedToItsTenant() {
        AuditEventFilter filter = AuditEventFilter.parse(null, "2be89497", null, null, null, "7", "3");
        assertThat(filter.forTenant("tenant-other"))
                .isEqualTo(new AuditEventFilter("tenant-other", "2be89497", null, null, null, 7L, 3L));
    }
}
