package io.hotswap.api.semver;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version range in npm's semver syntax: {@code 1.2.3}, {@code =1.2.3}, {@code ^1.2.0}, {@code ~1.2},
 * {@code >=1.0.0 <2.0.0}, {@code 1.2.x}, {@code 1.0.0 - 2.0.0}, {@code *}, and alternatives joined by {@code ||}.
 * As in npm, a pre-release only satisfies a comparator set that names a pre-release of the same core version.
 */
public final class VersionRange {

    private static final Pattern PARTIAL = Pattern.compile(
            "(\\d+|[xX*])(?:\\.(\\d+|[xX*]))?(?:\\.(\\d+|[xX*]))?(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?"
                    + "(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");
    /** An optional operator, then a version that starts with a digit or wildcard (so "<2.0.0" is not a version). */
    private static final Pattern COMPARATOR = Pattern.compile("\\s*(<=|>=|<|>|=|\\^|~)?\\s*([0-9xX*]\\S*)");

    private record Comparator(String operator, SemanticVersion version) {
        boolean test(SemanticVersion v) {
            int c = v.compareTo(version);
            return switch (operator) {
                case ">=" -> c >= 0;
                case ">" -> c > 0;
                case "<=" -> c <= 0;
                case "<" -> c < 0;
                default -> c == 0;
            };
        }
    }

    private final String text;
    private final List<List<Comparator>> alternatives;

    private VersionRange(String text, List<List<Comparator>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** @throws IllegalArgumentException with a readable message when the text is not a range */
    public static VersionRange parse(String text) {
        if (text == null || text.isBlank() || text.length() > 256) {
            throw new IllegalArgumentException("'" + text + "' is not a version range (e.g. ^1.2.0, ~1.2, >=1.0.0 <2.0.0, *)");
        }
        List<List<Comparator>> alternatives = new ArrayList<>();
        for (String alternative : text.trim().split("\\s*\\|\\|\\s*", -1)) {
            alternatives.add(parseSet(alternative.trim(), text));
        }
        return new VersionRange(text.trim(), alternatives);
    }

    public boolean isSatisfiedBy(SemanticVersion version) {
        return alternatives.stream().anyMatch(set -> set.stream().allMatch(c -> c.test(version))
                && (!version.isPreRelease() || set.stream().anyMatch(c -> c.version.isPreRelease() && c.version.sameCore(version))));
    }

    @Override
    public String toString() {
        return text;
    }

    private static List<Comparator> parseSet(String set, String whole) {
        List<Comparator> comparators = new ArrayList<>();
        if (set.isEmpty() || set.equals("*") || set.equalsIgnoreCase("x")) {
            comparators.add(new Comparator(">=", new SemanticVersion(0, 0, 0, "")));
            return comparators;
        }
        String[] hyphen = set.split("\\s+-\\s+");
        if (hyphen.length == 2) {
            comparators.addAll(expand(">=", hyphen[0], whole));
            comparators.addAll(expand("<=", hyphen[1], whole));
            return comparators;
        }
        Matcher m = COMPARATOR.matcher(set);
        int end = 0;
        while (m.find()) {
            if (!set.substring(end, m.start()).isBlank()) throw invalid(whole);
            comparators.addAll(expand(m.group(1) == null ? "=" : m.group(1), m.group(2), whole));
            end = m.end();
        }
        if (comparators.isEmpty() || !set.substring(end).isBlank()) throw invalid(whole);
        return comparators;
    }

    /** Turns one operator and a possibly partial version ("1.2", "1.x") into plain comparators. */
    private static List<Comparator> expand(String operator, String partial, String whole) {
        Matcher m = PARTIAL.matcher(partial);
        if (!m.matches()) throw invalid(whole);
        Integer major = number(m.group(1)), minor = number(m.group(2)), patch = number(m.group(3));
        String pre = m.group(4);
        if (major == null) return List.of(new Comparator(">=", new SemanticVersion(0, 0, 0, "")));
        if ((minor == null && patch != null) || (pre != null && patch == null)) throw invalid(whole);
        SemanticVersion low = new SemanticVersion(major, minor == null ? 0 : minor, patch == null ? 0 : patch, pre);
        boolean exact = minor != null && patch != null;
        SemanticVersion nextMinor = new SemanticVersion(major, minor == null ? 0 : minor + 1, 0, "0");
        SemanticVersion nextMajor = new SemanticVersion(major + 1, 0, 0, "0");
        SemanticVersion wildcardEnd = minor == null ? nextMajor : nextMinor;
        return switch (operator) {
            case "^" -> List.of(new Comparator(">=", low), new Comparator("<", caretEnd(major, minor, patch)));
            case "~" -> List.of(new Comparator(">=", low), new Comparator("<", minor == null ? nextMajor : nextMinor));
            case "=" -> exact ? List.of(new Comparator("=", low))
                    : List.of(new Comparator(">=", low), new Comparator("<", wildcardEnd));
            // as npm: ">1.2" means ">=1.3.0", which leaves out 1.3.0's pre-releases
            case ">" -> List.of(exact ? new Comparator(">", low)
                    : new Comparator(">=", new SemanticVersion(wildcardEnd.major(), wildcardEnd.minor(), 0, "")));
            case "<=" -> List.of(new Comparator(exact ? "<=" : "<", exact ? low : wildcardEnd));
            default -> List.of(new Comparator(operator, low)); // ">=" and "<" bound at the low end
        };
    }

    private static SemanticVersion caretEnd(int major, Integer minor, Integer patch) {
        if (major > 0 || minor == null) return new SemanticVersion(major + 1, 0, 0, "0");
        if (minor > 0 || patch == null) return new SemanticVersion(0, minor + 1, 0, "0");
        return new SemanticVersion(0, 0, patch + 1, "0");
    }

    private static Integer number(String part) {
        if (part == null || part.equalsIgnoreCase("x") || part.equals("*")) return null;
        if (part.length() > 9) throw new IllegalArgumentException("version number " + part + " is too large");
        return Integer.parseInt(part);
    }

    private static IllegalArgumentException invalid(String whole) {
        return new IllegalArgumentException("'" + whole + "' is not a version range (e.g. ^1.2.0, ~1.2, >=1.0.0 <2.0.0, *)");
    }
}
