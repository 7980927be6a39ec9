package io.hotswap.command;

import io.hotswap.api.error.ConflictException;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;

import java.util.Map;
import java.util.Objects;

/** Hamcrest matchers for the fixture's {@code expectException(Matcher)}: the problem type and details of a refusal. */
public final class Refusals {

    private Refusals() {
    }

    /** A {@link ConflictException} of the given problem type. */
    public static Matcher<ConflictException> conflict(String problemType) {
        return conflict(problemType, Map.of());
    }

    /** A {@link ConflictException} of the given problem type whose details contain every given entry. */
    public static Matcher<ConflictException> conflict(String problemType, Map<String, ?> expectedDetails) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(ConflictException e, Description mismatch) {
                if (!problemType.equals(e.problemType())) {
                    mismatch.appendText("problem type was ").appendValue(e.problemType())
                            .appendText(" (").appendValue(e.getMessage()).appendText(")");
                    return false;
                }
                for (Map.Entry<String, ?> entry : expectedDetails.entrySet()) {
                    if (!e.details().containsKey(entry.getKey())
                            || !Objects.equals(e.details().get(entry.getKey()), entry.getValue())) {
                        mismatch.appendText("details were ").appendValue(e.details());
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("ConflictException of type ").appendValue(problemType);
                if (!expectedDetails.isEmpty()) description.appendText(" with details ").appendValue(expectedDetails);
            }
        };
    }
}
