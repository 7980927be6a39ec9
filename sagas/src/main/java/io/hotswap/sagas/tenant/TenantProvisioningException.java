package io.hotswap.sagas.tenant;

/** The cluster did not provision an object; the message says what it answered (or that it did not). */
public class TenantProvisioningException extends RuntimeException {

    public TenantProvisioningException(String answer, Throwable cause) {
        super(answer, cause);
    }

    public TenantProvisioningException(String answer) {
        super(answer);
    }
}
