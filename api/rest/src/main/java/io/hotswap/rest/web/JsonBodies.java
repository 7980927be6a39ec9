package io.hotswap.rest.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.hotswap.api.error.FieldError;
import io.hotswap.api.error.Input;
import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.error.PayloadTooLargeException;
import io.hotswap.api.error.UnsupportedMediaTypeException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a JSON request body strictly (unknown fields, repeated fields and fractions where whole numbers belong are
 * errors, and so are control characters other than tab and line breaks in any string), but accepts it under the
 * content type {@code curl -d} sends by default, because the guide's commands do exactly that. The body is read from
 * the raw stream ({@link FormBodiesLeftAlone} keeps the servlet container from parsing it as a form). Refusals name
 * the field and what it should be, never a Java type.
 */
@Component
public class JsonBodies {

    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final ObjectMapper strict;

    public JsonBodies(ObjectMapper mapper) {
        this.strict = mapper.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    public <T> T read(HttpServletRequest request, Class<T> type) {
        requireJsonContentType(request.getContentType());
        // refused before reading: the answer goes out while the client may still be sending (see server.tomcat.max-swallow-size)
        if (request.getContentLengthLong() > MAX_BODY_BYTES) throw tooLarge();
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new InvalidInputException("body", "could not be read completely; send it again");
        }
        if (body.length > MAX_BODY_BYTES) throw tooLarge();
        if (body.length == 0) throw new InvalidInputException("body", "is required: send a JSON object");
        return parse(body, type);
    }

    public static PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException("The request body", MAX_BODY_BYTES);
    }

    public <T> T parse(byte[] json, Class<T> type) {
        try {
            JsonNode tree = strict.readTree(json);
            List<FieldError> controls = new ArrayList<>();
            findControlCharacters(tree, "", controls);
            if (!controls.isEmpty()) throw new InvalidInputException(controls);
            T value = strict.treeToValue(tree, type);
            if (value == null) throw new InvalidInputException("body", "must be a JSON object, was null");
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInputException(path(e), "is not a known field; known fields: " + e.getKnownPropertyIds()
                    .stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (JsonParseException e) {
            throw new InvalidInputException("body", "is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new InvalidInputException(field.isEmpty() ? "body" : field, "must be " + expected(e.getTargetType()));
        } catch (JsonMappingException e) {
            String field = path(e);
            throw new InvalidInputException(field.isEmpty() ? "body" : field, "has the wrong type");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("body", "is not valid JSON");
        } catch (IOException e) {
            throw new InvalidInputException("body", "could not be read");
        }
    }

    /** Every string value and field name, with the field path it is at; tab and line breaks may be free text. */
    private static void findControlCharacters(JsonNode node, String path, List<FieldError> found) {
        if (node.isTextual()) {
            String problem = Input.controlCharacterProblem(node.textValue(), true);
            if (problem != null) found.add(new FieldError(path.isEmpty() ? "body" : path, problem));
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = Input.controlCharacterProblem(field.getKey(), false) == null ? field.getKey()
                        : field.getKey().replaceAll("\\p{Cntrl}", "?");
                String at = path.isEmpty() ? name : path + "." + name;
                if (!name.equals(field.getKey())) found.add(new FieldError(at, "is a field name with control characters"));
                findControlCharacters(field.getValue(), at, found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) findControlCharacters(node.get(i), path + "[" + i + "]", found);
        }
    }

    /** What a field of this type must be, in the client's terms. */
    static String expected(Class<?> type) {
        if (type == null) return "another kind of value";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) return "a whole number";
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class
                || type == BigDecimal.class) return "a number";
        if (type == String.class) return "a string";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type.isEnum()) return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                .collect(Collectors.joining(", "));
        if (type.isArray() || Collection.class.isAssignableFrom(type)) return "a JSON array";
        return "a JSON object";
    }

    private static void requireJsonContentType(String contentType) {
        if (contentType == null) return;
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedMediaTypeException(contentType, "application/json");
        }
        boolean json = type.isCompatibleWith(MediaType.APPLICATION_JSON) || "json".equals(type.getSubtypeSuffix());
        if (!json && !type.isCompatibleWith(MediaType.APPLICATION_FORM_URLENCODED)) {
            throw new UnsupportedMediaTypeException(contentType, "application/json");
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
