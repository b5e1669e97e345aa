package com.hongbao.ledger.api.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page: what fails before a controller is chosen (a status the servlet
 * container sends itself, an exception from a filter) is answered as a problem with a stable
 * code, in place of Spring Boot's own error body or its HTML page: the ledger's code for the
 * statuses it has one for, {@code http_<status>} for any other, the status kept. Asked for
 * directly, it is a page that does not exist.
 */
@RestController
@Hidden
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status)) {
            return ProblemResponses.response("not_found", "no such resource");
        }
        ProblemDetail problem = ProblemResponses.forStatus(status);
        return withInstance(ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem),
                request);
    }

    private static ResponseEntity<ProblemDetail> withInstance(ResponseEntity<ProblemDetail> response,
                                                              HttpServletRequest request) {
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
            try {
                response.getBody().setInstance(URI.create(uri));
            } catch (IllegalArgumentException e) {
                // A path the container refused may not be a valid URI; the problem stands without it.
            }
        }
        return response;
    }
}
