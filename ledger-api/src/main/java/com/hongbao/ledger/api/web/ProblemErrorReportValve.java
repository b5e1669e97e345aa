package com.hongbao.ledger.api.web;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's last word on an error response nothing else wrote a body for: a request the container
 * refuses before any filter or servlet runs (an encoded {@code /}, {@code \} or NUL in the path,
 * a malformed escape, the method {@code CONNECT}, answered 405 here where Tomcat says 501) gets
 * the same problem body, with the same codes, as the ledger's error page
 * ({@link ProblemErrorController}), where Tomcat's own valve would write an HTML page. Responses
 * that already have a body (every problem the application writes) pass untouched.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private final JsonMapper json;

    /** For Tomcat, which makes its host's error report valve by this constructor if none is in place. */
    public ProblemErrorReportValve() {
        this(JsonMapper.builder().build());
    }

    public ProblemErrorReportValve(JsonMapper json) {
        this.json = json;
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get() || !response.setErrorReported()) {
            return;
        }
        if (status == 501 && "CONNECT".equals(request.getMethod())) {
            // Tomcat refuses CONNECT itself as not implemented; to a client it is a method this
            // resource does not allow, like any other.
            status = 405;
            response.setStatus(status);
        }
        ProblemDetail problem = ProblemResponses.forStatus(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        String uri = request.getRequestURI();
        if (uri != null) {
            try {
                body.put("instance", URI.create(uri).toString());
            } catch (IllegalArgumentException e) {
                // A path the container refused may not be a valid URI; the problem stands without it.
            }
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json.writeValueAsString(body));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response cannot take a body any more: nothing else to tell it.
        }
    }
}
