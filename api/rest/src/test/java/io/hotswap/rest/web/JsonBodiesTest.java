package io.hotswap.rest.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotswap.api.error.FieldError;
import io.hotswap.api.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonBodiesTest {

    record Body(String name, Integer count, Map<String, String> settings, List<String> tags) {
    }

    private final JsonBodies bodies = new JsonBodies(new ObjectMapper());

    @Test
    void refusesControlCharactersWhereverTheyAreWithTheirField() {
        assertThatThrownBy(() -> parse("""
                {"name": "a\\u0000", "settings": {"k": "\\u0007"}, "tags": ["ok", "\\u001f"]}"""))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("name", "settings.k", "tags[1]"));
    }

    @Test
    void keepsTabsAndLineBreaksForFreeText() {
        assertThat(parse("""
                {"name": "line one\\nline two\\tend"}""").name()).isEqualTo("line one\nline two\tend");
    }

    @Test
    void namesWhatAFieldMustBeInsteadOfAJavaType() {
        assertThatThrownBy(() -> parse("""
                {"count": "many"}""")).hasMessage("count: must be a whole number");
        assertThatThrownBy(() -> parse("""
                {"count": 2.5}""")).hasMessage("count: must be a whole number");
        assertThatThrownBy(() -> parse("""
                {"settings": [1]}""")).hasMessage("settings: must be a JSON object");
        assertThatThrownBy(() -> parse("[1]")).hasMessage("body: must be a JSON object");
        assertThatThrownBy(() -> parse("""
                {"name": ["x"]}""")).hasMessage("name: must be a string");
    }

    @Test
    void refusesAFieldGivenTwice() {
        assertThatThrownBy(() -> parse("""
                {"name": "a", "name": "b"}""")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Duplicate field 'name'");
    }

    private Body parse(String json) {
        return bodies.parse(json.getBytes(StandardCharsets.UTF_8), Body.class);
    }
}
