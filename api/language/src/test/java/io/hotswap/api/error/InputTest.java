package io.hotswap.api.error;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InputTest {

    @Test
    void refusesNulAndOtherControlCharactersInNamesByField() {
        assertThatThrownBy(() -> new Input().text("name", "a\u0000b", 200).check())
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .containsExactly(new FieldError("name", "must not contain control characters (found U+0000 at position 2)")));
        assertThatThrownBy(() -> new Input().text("name", "a\nb", 200).check()).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Input().text("name", "a\u007fb", 200).check()).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void freeTextMayHaveTabsAndLineBreaksButNoOtherControlCharacters() {
        new Input().freeText("reason", "error rate 5%\n\tsince 10:00\r\n", 1000).check();
        assertThatThrownBy(() -> new Input().freeText("reason", "red \u001b[31m", 1000).check())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("U+001B");
        assertThatThrownBy(() -> new Input().freeText("reason", "x\u0000", 1000).check())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reason");
    }

    @Test
    void printableTextOfAnyScriptPasses() {
        assertThat(Input.controlCharacterProblem("Zürich – 東京 ✓", false)).isNull();
        assertThat(Input.controlCharacterProblem(null, false)).isNull();
    }

    @Test
    void imageReferencesAsContainerRuntimesTakeThem() {
        for (String image : new String[]{"nginx", "eclipse-temurin:17-jre", "registry.example.com/payments/stripe:2.1.0",
                "localhost:5000/team/plugin_x", "ghcr.io/acme/weather@sha256:" + "a".repeat(64)}) {
            new Input().imageReference("image", image).check();
        }
        for (String image : new String[]{"", "Registry Example/Stripe", "payments/Stripe:2.0", "stripe:2.0!", "stripe:",
                "/stripe", "a".repeat(256)}) {
            assertThatThrownBy(() -> new Input().imageReference("image", image).check())
                    .as(image).isInstanceOf(InvalidInputException.class);
        }
    }
}
