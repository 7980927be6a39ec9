package io.hotswap.api.semver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SemanticVersionTest {

    @ParameterizedTest(name = "{0} -> {1}.{2}.{3} pre=''{4}''")
    @CsvSource(delimiter = '|', value = {
            "0.0.0                      | 0 | 0  | 0 | ''",
            "1.2.3                      | 1 | 2  | 3 | ''",
            "10.20.30                   | 10| 20 | 30| ''",
            "1.0.0-alpha                | 1 | 0  | 0 | alpha",
            "1.0.0-alpha.1              | 1 | 0  | 0 | alpha.1",
            "1.0.0-0.3.7                | 1 | 0  | 0 | 0.3.7",
            "1.0.0-x.7.z.92             | 1 | 0  | 0 | x.7.z.92",
            "1.0.0-x-y-z.--             | 1 | 0  | 0 | x-y-z.--",
            "1.0.0-0a                   | 1 | 0  | 0 | 0a",
            "1.0.0+20130313144700       | 1 | 0  | 0 | ''",
            "1.0.0-beta+exp.sha.5114f85 | 1 | 0  | 0 | beta",
            "999999999.0.1              | 999999999 | 0 | 1 | ''",
    })
    void parsesValidVersions(String text, int major, int minor, int patch, String preRelease) {
        SemanticVersion v = SemanticVersion.parse(text);

        assertThat(v.major()).isEqualTo(major);
        assertThat(v.minor()).isEqualTo(minor);
        assertThat(v.patch()).isEqualTo(patch);
        assertThat(v.preRelease()).isEqualTo(preRelease);
        assertThat(v.isPreRelease()).isEqualTo(!preRelease.isEmpty());
        assertThat(SemanticVersion.isValid(text)).isTrue();
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {
            "", " ", "1", "1.2", "1.2.3.4", "v1.2.3", "1.2.3 ", " 1.2.3", "01.2.3", "1.02.3", "1.2.03",
            "-1.2.3", "1.-2.3", "a.b.c", "1.2.3-", "1.2.3+", "1.2.3-alpha..1", "1.2.3-01", "1.2.3-alpha_1",
            "1.2.3+build..1", "1.x.3", "1.2.*", "1000000000.0.0", "1.2.3-beta!"
    })
    void refusesMalformedVersions(String text) {
        assertThat(SemanticVersion.isValid(text)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> SemanticVersion.parse(text))
                .withMessageContaining("is not a semantic version");
    }

    @ParameterizedTest
    @NullSource
    void refusesNull(String text) {
        assertThat(SemanticVersion.isValid(text)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> SemanticVersion.parse(text));
    }

    @Test
    void refusesVersionsLongerThan64Characters() {
        String longest = "1.0.0-" + "a".repeat(58);
        String tooLong = longest + "a";

        assertThat(longest).hasSize(64);
        assertThat(SemanticVersion.isValid(longest)).isTrue();
        assertThat(SemanticVersion.isValid(tooLong)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> SemanticVersion.parse(tooLong));
    }

    @ParameterizedTest(name = "{0} < {1}")
    @CsvSource({
            "1.0.0,               2.0.0",
            "2.0.0,               2.1.0",
            "2.1.0,               2.1.1",
            "1.9.0,               1.10.0",   // numeric, not lexical
            "1.0.9,               1.0.10",
            "1.0.0-alpha,         1.0.0",    // a pre-release ranks below its release
            "1.0.0-rc.1,          1.0.0",
            "1.0.0,               1.0.1-alpha", // ... but above the pre-releases of the next one
            "1.0.0-alpha,         1.0.0-alpha.1", // a longer set of identifiers wins when the prefix is equal
            "1.0.0-alpha.1,       1.0.0-alpha.beta", // numeric identifiers rank below alphanumeric ones
            "1.0.0-alpha.beta,    1.0.0-beta",
            "1.0.0-beta,          1.0.0-beta.2",
            "1.0.0-beta.2,        1.0.0-beta.11", // numeric identifiers compare as numbers
            "1.0.0-beta.11,       1.0.0-rc.1",
            "1.0.0-1,             1.0.0-a",
            "1.0.0-9,             1.0.0-10",
            "1.0.0-Z,             1.0.0-a", // alphanumerics compare in ASCII order
            "1.0.0-0,             1.0.0-0.0",
    })
    void ordersByPrecedence(String lower, String higher) {
        SemanticVersion low = SemanticVersion.parse(lower), high = SemanticVersion.parse(higher);

        assertThat(low).isLessThan(high);
        assertThat(high).isGreaterThan(low);
        assertThat(low).isNotEqualTo(high);
    }

    @Test
    void sortsTheSemverSpecExampleChain() {
        List<String> expected = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1");
        List<SemanticVersion> shuffled = new ArrayList<>(expected.stream().map(SemanticVersion::parse).toList());
        Collections.reverse(shuffled);
        Collections.swap(shuffled, 2, 7);

        Collections.sort(shuffled);

        assertThat(shuffled).extracting(SemanticVersion::toString).containsExactlyElementsOf(expected);
    }

    @Test
    void ignoresBuildMetadataInPrecedenceEqualityAndText() {
        SemanticVersion plain = SemanticVersion.parse("1.2.3-beta");
        SemanticVersion withBuild = SemanticVersion.parse("1.2.3-beta+build.42");

        assertThat(withBuild).isEqualByComparingTo(plain);
        assertThat(withBuild).isEqualTo(plain);
        assertThat(withBuild).hasSameHashCodeAs(plain);
        assertThat(withBuild.toString()).isEqualTo("1.2.3-beta");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0", "1.2.3", "1.0.0-alpha.1", "10.20.30-rc.1.x-y"})
    void toStringRoundTrips(String text) {
        assertThat(SemanticVersion.parse(text).toString()).isEqualTo(text);
        assertThat(SemanticVersion.parse(SemanticVersion.parse(text).toString())).isEqualTo(SemanticVersion.parse(text));
    }

    @Test
    void treatsANullPreReleaseAsNone() {
        SemanticVersion v = new SemanticVersion(1, 2, 3, null);

        assertThat(v.preRelease()).isEmpty();
        assertThat(v.isPreRelease()).isFalse();
        assertThat(v).isEqualTo(SemanticVersion.parse("1.2.3"));
    }

    @Test
    void sameCoreIgnoresThePreRelease() {
        assertThat(SemanticVersion.parse("1.2.3-beta").sameCore(SemanticVersion.parse("1.2.3"))).isTrue();
        assertThat(SemanticVersion.parse("1.2.3-beta").sameCore(SemanticVersion.parse("1.2.4-beta"))).isFalse();
    }

    @Test
    void picksTheHighestStableVersion() {
        SemanticVersion max = Stream.of("1.2.0", "1.10.0", "1.9.9", "2.0.0-rc.1", "1.10.0-beta")
                .map(SemanticVersion::parse).max(SemanticVersion::compareTo).orElseThrow();

        assertThat(max).hasToString("2.0.0-rc.1");
    }

    /**
     * BUG: the grammar accepts numeric pre-release identifiers of any length (semver.org sets no limit, and
     * {@link SemanticVersion#isValid} says yes), but {@code compareIdentifier} parses them with Long.parseLong, so
     * comparing (or calling equals on) two versions whose numeric identifiers exceed Long.MAX_VALUE throws
     * NumberFormatException instead of ordering them.
     */
    @Test
    void comparesNumericPreReleaseIdentifiersBeyondLongRange() {
        SemanticVersion huge = SemanticVersion.parse("1.0.0-99999999999999999999");
        SemanticVersion small = SemanticVersion.parse("1.0.0-1");

        assertThat(huge).isGreaterThan(small);
        assertThat(huge).isNotEqualTo(small);
    }
}
