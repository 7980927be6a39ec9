package io.hotswap.api.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.error.PayloadTooLargeException;
import io.hotswap.api.error.UnsupportedMediaTypeException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Collectors;

/**
 * Reads a JSON request body strictly (unknown fields and fractions where whole numbers belong are errors), but
 * accepts it under the content type {@code curl -d} sends by default, because the guide's commands do exactly
 * that. The body is read from the raw stream so the servlet container never parses it as a form.
 */
@Component
public class JsonBodies {

    static final int MAX_BODY_BYTES = 64 * 1024;

    private final ObjectMapper strict;

    public JsonBodies(ObjectMapper mapper) {
        this.strict = mapper.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public <T> T read(HttpServletRequest request, Class<T> type) {
        requireJsonContentType(request.getContentType());
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new InvalidInputException("body", "could not be read: " + e.getMessage());
        }
        if (body.length > MAX_BODY_BYTES) throw new PayloadTooLargeException("The request body", MAX_BODY_BYTES);
        if (body.length == 0) throw new InvalidInputException("body", "is required: send a JSON object");
        return parse(body, type);
    }

    public <T> T parse(byte[] json, Class<T> type) {
        try {
            T value = strict.readValue(json, type);
            if (value == null) throw new InvalidInputException("body", "must be a JSON object, was null");
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInputException(path(e), "is not a known field; known fields: " + e.getKnownPropertyIds()
                    .stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (JsonParseException e) {
            throw new InvalidInputException("body", "is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (JsonMappingException e) {
            String field = path(e);
            throw new InvalidInputException(field.isEmpty() ? "body" : field, "has the wrong type: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("body", "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException("body", "could not be read: " + e.getMessage());
        }
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
