package io.hotswap.api.error;

import java.util.Map;

public final class UnsupportedMediaTypeException extends DomainException {

    public UnsupportedMediaTypeException(String contentType, String expected) {
        super("Content type '" + contentType + "' is not supported here; send " + expected, Map.of());
    }

    @Override
    public String problemType() {
        return "unsupported-media-type";
    }
}
