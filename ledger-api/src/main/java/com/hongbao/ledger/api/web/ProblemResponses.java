package com.hongbao.ledger.api.web;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds RFC 9457 problem details whose {@code code} property is the stable error code. */
public final class ProblemResponses {

    public static final String TYPE_PREFIX = "https://ledger.hongbao.example/problems/";

    /** The detail of a request refused by the firewall (code {@code request_rejected}). */
    public static final String REQUEST_REJECTED =
            "the request's path or headers contain characters or sequences this service does not accept";

    private static final Map<Integer, String> CONTAINER_CODES = Map.ofEntries(
            Map.entry(400, "invalid_request"),
            Map.entry(401, "unauthorized"),
            Map.entry(403, "forbidden"),
            Map.entry(404, "not_found"),
            Map.entry(405, "method_not_allowed"),
            Map.entry(406, "not_acceptable"),
            Map.entry(408, "request_timeout"),
            Map.entry(413, "payload_too_large"),
            Map.entry(415, "unsupported_media_type"),
            Map.entry(500, "internal_error"),
            Map.entry(503, "service_unavailable"));

    private ProblemResponses() {
    }

    public static ProblemDetail problem(String code, String detail) {
        HttpStatus status = ErrorCodes.status(code);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + code));
        problem.setTitle(code.replace('_', ' '));
        problem.setProperty("code", code);
        return problem;
    }

    /**
     * The problem for a status the servlet container sent itself (before or instead of a
     * controller): the ledger's code for the statuses it has one for, {@code http_<status>} for any
     * other, the status kept.
     */
    public static ProblemDetail forStatus(int status) {
        String code = CONTAINER_CODES.get(status);
        if (code != null) {
            return problem(code, HttpStatus.valueOf(status).getReasonPhrase());
        }
        HttpStatus known = HttpStatus.resolve(status);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status),
                known == null ? "status " + status : known.getReasonPhrase());
        problem.setType(URI.create(TYPE_PREFIX + "http_" + status));
        problem.setTitle("http " + status);
        problem.setProperty("code", "http_" + status);
        return problem;
    }

    public static ResponseEntity<ProblemDetail> response(String code, String detail) {
        ProblemDetail problem = problem(code, detail);
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
