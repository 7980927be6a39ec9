package io.hotswap.api.error;

import java.util.Map;

public final class PayloadTooLargeException extends DomainException {

    public PayloadTooLargeException(String what, long limitBytes) {
        super(what + " is larger than the limit of " + limitBytes + " bytes (" + readable(limitBytes) + ")",
                Map.of("limitBytes", limitBytes));
    }

    /** 65536 reads as 64 KB, 536870912 as 512 MB. */
    static String readable(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return bytes / (1024 * 1024) + " MB";
        if (bytes >= 1024 * 1024) return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        if (bytes >= 1024) return bytes / 1024 + " KB";
        return bytes + " bytes";
    }

    @Override
    public String problemType() {
        return "payload-too-large";
    }
}
