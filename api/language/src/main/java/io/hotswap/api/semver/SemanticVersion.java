package io.hotswap.api.semver;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A version as semver.org 2.0.0 defines it: {@code MAJOR.MINOR.PATCH[-prerelease][+build]}. */
public record SemanticVersion(int major, int minor, int patch, String preRelease) implements Comparable<SemanticVersion> {

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?");

    public SemanticVersion {
        preRelease = preRelease == null ? "" : preRelease;
    }

    public static boolean isValid(String text) {
        return text != null && text.length() <= 64 && SEMVER.matcher(text).matches();
    }

    /** @throws IllegalArgumentException when the text is not a semantic version */
    public static SemanticVersion parse(String text) {
        Matcher m = text == null || text.length() > 64 ? null : SEMVER.matcher(text);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a semantic version (expected MAJOR.MINOR.PATCH, e.g. 2.0.0)");
        }
        return new SemanticVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), m.group(4));
    }

    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    @Override
    public int compareTo(SemanticVersion other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) c = Integer.compare(minor, other.minor);
        if (c == 0) c = Integer.compare(patch, other.patch);
        if (c == 0) c = comparePreRelease(preRelease, other.preRelease);
        return c;
    }

    private static int comparePreRelease(String a, String b) {
        if (a.equals(b)) return 0;
        if (a.isEmpty()) return 1;   // a release ranks above its pre-releases
        if (b.isEmpty()) return -1;
        String[] left = a.split("\\."), right = b.split("\\.");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int c = compareIdentifier(left[i], right[i]);
            if (c != 0) return c;
        }
        return Integer.compare(left.length, right.length);
    }

    private static int compareIdentifier(String a, String b) {
        boolean aNumeric = a.chars().allMatch(Character::isDigit), bNumeric = b.chars().allMatch(Character::isDigit);
        if (aNumeric && bNumeric) {
            // numeric identifiers have no leading zeros, so the longer one is larger, whatever its size
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (aNumeric != bNumeric) return aNumeric ? -1 : 1;
        return a.compareTo(b);
    }

    boolean sameCore(SemanticVersion other) {
        return major == other.major && minor == other.minor && patch == other.patch;
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + preRelease);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemanticVersion v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(major, minor, patch, preRelease);
    }
}
