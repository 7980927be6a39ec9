package io.hotswap.api.error;

import io.hotswap.api.semver.SemanticVersion;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects every problem of one request before refusing it, so a client learns all its mistakes at once.
 * Usage: {@code new Input().dnsLabel("tenantId", id).required("name", name).check();}
 */
public final class Input {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,31}");
    /**
     * A container image reference, {@code [registry[:port]/]path[:tag][@sha256:digest]}, after the grammar of
     * github.com/distribution/reference (the path in lower case).
     */
    private static final Pattern IMAGE_REFERENCE = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?"
                    + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");

    private final List<FieldError> errors = new ArrayList<>();

    public Input reject(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    public boolean has(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    public Input required(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) reject(field, "is required");
        return this;
    }

    /** One line of text, such as a name: no control characters at all, not even tabs or line breaks. */
    public Input text(String field, String value, int maxLength) {
        return text(field, value, maxLength, false);
    }

    /** Free text, such as a reason: tabs and line breaks are fine, other control characters are not. */
    public Input freeText(String field, String value, int maxLength) {
        return text(field, value, maxLength, true);
    }

    private Input text(String field, String value, int maxLength, boolean lineBreaksAllowed) {
        required(field, value);
        if (value != null && value.length() > maxLength) reject(field, "must be at most " + maxLength + " characters");
        String problem = controlCharacterProblem(value, lineBreaksAllowed);
        if (problem != null && !has(field)) reject(field, problem);
        return this;
    }

    /**
     * Why {@code value} may not be stored, or null when it may: C0 control characters (U+0000 to U+001F) and DEL have no
     * place in names, ids or reasons, and PostgreSQL cannot store U+0000 in text at all. With
     * {@code lineBreaksAllowed}, tab, line feed and carriage return pass (free text such as a reason).
     */
    public static String controlCharacterProblem(String value, boolean lineBreaksAllowed) {
        if (value == null) return null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 || c == 0x7f) && !(lineBreaksAllowed && (c == '\t' || c == '\n' || c == '\r'))) {
                return "must not contain control characters (found U+%04X at position %d)".formatted((int) c, i + 1);
            }
        }
        return null;
    }

    /** An RFC 1123 label, as Kubernetes names are: lower-case letters, digits and '-', at most 63. */
    public Input dnsLabel(String field, String value) {
        required(field, value);
        if (value != null && !value.isBlank() && !DNS_LABEL.matcher(value).matches()) {
            reject(field, "'" + abbreviate(value) + "' is not a DNS label (lower-case letters, digits and '-', "
                    + "starting and ending with a letter or digit, at most 63 characters)");
        }
        return this;
    }

    public Input environment(String field, String value) {
        required(field, value);
        if (value != null && !value.isBlank() && !ENVIRONMENT.matcher(value).matches()) {
            reject(field, "'" + abbreviate(value) + "' is not an environment name (a letter, then letters, digits "
                    + "or '-', at most 32 characters, e.g. Production)");
        }
        return this;
    }

    public Input semver(String field, String value) {
        required(field, value);
        if (value != null && !value.isBlank() && !SemanticVersion.isValid(value)) {
            reject(field, "'" + abbreviate(value) + "' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 2.0.0)");
        }
        return this;
    }

    public Input imageReference(String field, String value) {
        required(field, value);
        if (value != null && !value.isBlank() && (value.length() > 255 || !IMAGE_REFERENCE.matcher(value).matches())) {
            reject(field, "'" + abbreviate(value) + "' is not a container image reference (e.g. "
                    + "registry.example.com/payments/stripe:2.1.0)");
        }
        return this;
    }

    public Input range(String field, Number value, double min, double max) {
        required(field, value);
        if (value != null && !(value.doubleValue() >= min && value.doubleValue() <= max)) {
            reject(field, "must be between " + format(min) + " and " + format(max) + ", was " + value);
        }
        return this;
    }

    /** The ISO-8601 instant {@code value} stands for; null when it is absent, or not one (then it is rejected). */
    public Instant instant(String field, String value) {
        if (value == null) return null;
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            reject(field, "'" + abbreviate(value) + "' is not an ISO-8601 instant such as 2026-11-26T16:19:00Z (an "
                    + "offset's '+' is sent as %2B)");
            return null;
        }
    }

    /** An instant that has passed (or none): nobody can say yet what will be. */
    public Input past(String field, Instant value) {
        if (value != null && value.isAfter(Instant.now())) reject(field, "is in the future: " + value);
        return this;
    }

    /** @throws InvalidInputException listing every rejected field, if there is any */
    public void check() {
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
    }

    private static String format(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
