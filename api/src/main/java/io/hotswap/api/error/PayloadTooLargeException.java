package io.hotswap.api.error;

import java.util.Map;

public class PayloadTooLargeException extends DomainException {

    public PayloadTooLargeException(String what, long limitBytes) {
        super(what + " is larger than the limit of " + limitBytes + " bytes (" + (limitBytes / (1024 * 1024)) + " MB)",
                Map.of("limitBytes", limitBytes));
    }

    @Override
    public int status() {
        return 413;
    }

    @Override
    public String problemType() {
        return "payload-too-large";
    }
}
