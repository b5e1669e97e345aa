package com.hongbao.ledger.core;

/**
 * A business rule refused a command. Every rejection carries a stable snake_case code that
 * clients may rely on (it becomes the {@code code} of the RFC 9457 problem detail); the
 * message is for people and may change.
 *
 * <p>Programmer errors are not rejections: they are ordinary unchecked exceptions and fail loudly.
 */
public class LedgerRejection extends RuntimeException {

    private final String code;

    public LedgerRejection(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
