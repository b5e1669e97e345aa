package com.hongbao.ledger.api.web;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.projections.support.Cursor;
import java.net.SocketTimeoutException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Maps every failure to an RFC 9457 problem detail with a stable code. */
@RestControllerAdvice
public class ProblemHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    /** Seconds a client should wait before retrying a request refused while the database is away. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final DatabaseOutages outages;

    public ProblemHandler(DatabaseOutages outages) {
        this.outages = outages;
    }

    @ExceptionHandler(LedgerRejection.class)
    ResponseEntity<ProblemDetail> rejection(LedgerRejection rejection) {
        return ProblemResponses.response(rejection.code(), rejection.getMessage());
    }

    @ExceptionHandler(Cursor.InvalidCursor.class)
    ResponseEntity<ProblemDetail> cursor(Cursor.InvalidCursor e) {
        return ProblemResponses.response("invalid_cursor", "the cursor is not one this service issued");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        if (causeOf(e, BodySizeLimitFilter.BodyTooLarge.class) instanceof BodySizeLimitFilter.BodyTooLarge tooLarge) {
            return tooLarge(tooLarge);
        }
        if (causeOf(e, RequestShapeFilter.NotUtf8.class) != null) {
            return ProblemResponses.response("malformed_json", "the request body is not well-formed UTF-8");
        }
        if (causeOf(e, SocketTimeoutException.class) != null) {
            // The client stopped sending its body; it is most likely not listening either.
            return ProblemResponses.response("request_timeout", "the request body did not arrive in time");
        }
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return ProblemResponses.response("unknown_field", "unknown field '" + unknown.getPropertyName() + "'");
        }
        if (cause instanceof MismatchedInputException trailing && trailing.getMessage() != null
                && trailing.getMessage().startsWith("Trailing token")) {
            // Two JSON values back to back: the body as a whole is not one JSON document.
            return ProblemResponses.response("malformed_json", "the request body is not valid JSON for this operation");
        }
        if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
            MismatchedInputException mismatch = (MismatchedInputException) cause;
            return ProblemResponses.response("invalid_field_type",
                    "field '" + path(mismatch) + "' has the wrong type");
        }
        if (cause instanceof InputCoercionException coercion) {
            // Well-formed JSON whose number does not fit the field, e.g. 99999999999 for an int.
            return ProblemResponses.response("invalid_field_type",
                    "field '" + path(coercion) + "' is out of range for its type");
        }
        // Jackson reports duplicate keys (STRICT_DUPLICATE_DETECTION) only through its message.
        if (cause instanceof StreamReadException read && read.getMessage() != null
                && (read.getMessage().startsWith("Duplicate Object property") || read.getMessage().contains("Duplicate field"))) {
            return ProblemResponses.response("duplicate_field", "a field appears twice in the request body");
        }
        return ProblemResponses.response("malformed_json", "the request body is not valid JSON for this operation");
    }

    /** A body without a declared length went past the limit as it was read. */
    @ExceptionHandler(BodySizeLimitFilter.BodyTooLarge.class)
    ResponseEntity<ProblemDetail> tooLarge(BodySizeLimitFilter.BodyTooLarge e) {
        return ProblemResponses.response("payload_too_large", e.getMessage());
    }

    /** A body that is not UTF-8, found by a reader other than the JSON converter. */
    @ExceptionHandler(RequestShapeFilter.NotUtf8.class)
    ResponseEntity<ProblemDetail> notUtf8(RequestShapeFilter.NotUtf8 e) {
        return ProblemResponses.response("malformed_json", e.getMessage());
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
            MissingRequestHeaderException.class})
    ResponseEntity<ProblemDetail> parameter(Exception e) {
        // A page size too large even for an int is still a page size too large.
        if (e instanceof MethodArgumentTypeMismatchException mismatch && "limit".equals(mismatch.getName())
                && mismatch.getValue() instanceof String text && !text.isEmpty()
                && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return ProblemResponses.response("page_size_too_large", "limit must be at most " + Requests.MAX_PAGE_SIZE);
        }
        return ProblemResponses.response("invalid_parameter", switch (e) {
            case MethodArgumentTypeMismatchException mismatch -> "parameter '" + mismatch.getName() + "' must be "
                    + (mismatch.getRequiredType() == Integer.class || mismatch.getRequiredType() == int.class
                            ? "a whole number" : "a valid " + mismatch.getParameter().getParameterType().getSimpleName());
            case MissingServletRequestParameterException missing -> "parameter '" + missing.getParameterName()
                    + "' is required";
            case MissingRequestHeaderException missing -> "header '" + missing.getHeaderName() + "' is required";
            default -> "a parameter is not valid";
        });
    }

    /**
     * A query string Tomcat cannot decode (a malformed {@code %} escape, bytes that are not UTF-8)
     * fails when a parameter is first read, which is here, as the handler's arguments are resolved.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> undecodableParameter(InvalidParameterException e) {
        return ProblemResponses.response("invalid_parameter",
                "the query string is not valid: every parameter must be percent-encoded UTF-8");
    }

    /** A header the controller reads has characters the firewall refuses (checked when it is read). */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
        return ProblemResponses.response("request_rejected", ProblemResponses.REQUEST_REJECTED);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return ProblemResponses.response("not_acceptable", "this resource is available as " + e.getSupportedMediaTypes());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e) {
        return ProblemResponses.response("unsupported_media_type", "send application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e) {
        return ProblemResponses.response("method_not_allowed", e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e) {
        return ProblemResponses.response("not_found", "no such resource");
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return ProblemResponses.response("forbidden", "your role may not do this");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        String unavailable = DatabaseOutages.unavailable(e);
        if (unavailable != null) {
            // Nothing was committed: the same request may be sent again (with its key, where it has one).
            outages.refused(unavailable);
            ProblemDetail problem = ProblemResponses.problem("service_unavailable",
                    "the ledger's database is not available at the moment; retry the request");
            return ResponseEntity.status(problem.getStatus()).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        LOG.error("unexpected failure", e);
        return ProblemResponses.response("internal_error", "an unexpected error occurred");
    }

    /** The first throwable of this type in the chain of causes, or null. */
    private static Throwable causeOf(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
        }
        return null;
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        e.getPath().forEach(reference -> {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            }
        });
        return path.toString();
    }
}
