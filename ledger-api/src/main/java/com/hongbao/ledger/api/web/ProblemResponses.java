package com.hongbao.ledger.api.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds RFC 9457 problem details whose {@code code} property is the stable error code. */
public final class ProblemResponses {

    public static final String TYPE_PREFIX = "https://ledger.hongbao.example/problems/";

    /** The detail of a request refused by the firewall (code {@code request_rejected}). */
    public static final String REQUEST_REJECTED =
            "the request's path or headers contain characters or sequences this service does not accept";

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

    public static ResponseEntity<ProblemDetail> response(String code, String detail) {
        ProblemDetail problem = problem(code, detail);
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
