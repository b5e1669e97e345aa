package com.hongbao.ledger.api.web;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The one place where a rejection's stable code gets its HTTP status. A code not listed here is
 * a business rule refusal and answers 422.
 */
public final class ErrorCodes {

    private static final Map<String, HttpStatus> STATUS = Map.ofEntries(
            // The request itself is malformed.
            Map.entry("invalid_amount", HttpStatus.BAD_REQUEST),
            Map.entry("amount_above_maximum", HttpStatus.UNPROCESSABLE_CONTENT),
            Map.entry("invalid_amount_precision", HttpStatus.BAD_REQUEST),
            Map.entry("amount_not_positive", HttpStatus.BAD_REQUEST),
            Map.entry("unsupported_currency", HttpStatus.BAD_REQUEST),
            Map.entry("invalid_fee_rate", HttpStatus.BAD_REQUEST),
            Map.entry("invalid_request", HttpStatus.BAD_REQUEST),
            Map.entry("malformed_json", HttpStatus.BAD_REQUEST),
            Map.entry("unknown_field", HttpStatus.BAD_REQUEST),
            Map.entry("duplicate_field", HttpStatus.BAD_REQUEST),
            Map.entry("invalid_field_type", HttpStatus.BAD_REQUEST),
            Map.entry("missing_field", HttpStatus.BAD_REQUEST),
            Map.entry("invalid_parameter", HttpStatus.BAD_REQUEST),
            Map.entry("page_size_too_large", HttpStatus.BAD_REQUEST),
            Map.entry("bill_range_too_long", HttpStatus.BAD_REQUEST),
            Map.entry("invalid_cursor", HttpStatus.BAD_REQUEST),
            Map.entry("idempotency_key_required", HttpStatus.BAD_REQUEST),
            Map.entry("invalid_idempotency_key", HttpStatus.BAD_REQUEST),
            Map.entry("request_rejected", HttpStatus.BAD_REQUEST),
            Map.entry("payload_too_large", HttpStatus.CONTENT_TOO_LARGE),
            Map.entry("request_timeout", HttpStatus.REQUEST_TIMEOUT),
            Map.entry("not_acceptable", HttpStatus.NOT_ACCEPTABLE),
            Map.entry("unsupported_media_type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
            Map.entry("method_not_allowed", HttpStatus.METHOD_NOT_ALLOWED),
            // Who is asking.
            Map.entry("unauthorized", HttpStatus.UNAUTHORIZED),
            Map.entry("forbidden", HttpStatus.FORBIDDEN),
            // What is asked for does not exist, or is not the caller's: the two answer alike.
            Map.entry("not_found", HttpStatus.NOT_FOUND),
            Map.entry("wallet_not_found", HttpStatus.NOT_FOUND),
            Map.entry("merchant_not_found", HttpStatus.NOT_FOUND),
            Map.entry("payment_not_found", HttpStatus.NOT_FOUND),
            Map.entry("account_not_found", HttpStatus.NOT_FOUND),
            Map.entry("packet_not_found", HttpStatus.NOT_FOUND),
            Map.entry("campaign_not_found", HttpStatus.NOT_FOUND),
            Map.entry("plan_not_found", HttpStatus.NOT_FOUND),
            // Too late: a red packet that is empty or has expired.
            Map.entry("packet_emptied", HttpStatus.GONE),
            Map.entry("packet_expired", HttpStatus.GONE),
            // It exists already.
            Map.entry("wallet_already_exists", HttpStatus.CONFLICT),
            Map.entry("merchant_already_exists", HttpStatus.CONFLICT),
            Map.entry("concurrent_update", HttpStatus.CONFLICT),
            Map.entry("already_grabbed", HttpStatus.CONFLICT),
            Map.entry("refund_already_exists", HttpStatus.CONFLICT),
            Map.entry("rebuild_in_progress", HttpStatus.CONFLICT),
            Map.entry("processor_running_elsewhere", HttpStatus.CONFLICT),
            // Busy: the outcome is not known yet; asking again is safe.
            Map.entry("grab_undecided", HttpStatus.SERVICE_UNAVAILABLE),
            Map.entry("bill_downloads_busy", HttpStatus.SERVICE_UNAVAILABLE),
            // The database is away (restarting, read-only, a connection lost): nothing was done; retry.
            Map.entry("service_unavailable", HttpStatus.SERVICE_UNAVAILABLE),
            Map.entry("internal_error", HttpStatus.INTERNAL_SERVER_ERROR));

    private ErrorCodes() {
    }

    public static HttpStatus status(String code) {
        return STATUS.getOrDefault(code, HttpStatus.UNPROCESSABLE_CONTENT);
    }
}
