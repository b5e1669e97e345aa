package com.hongbao.ledger.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a request must look like before anything else looks at it:
 *
 * <ul>
 *   <li>a method of HTTP that this API may serve: any other ({@code CONNECT}, an invented one)
 *       is 405 {@code method_not_allowed}, where the servlet would answer 501;</li>
 *   <li>a {@code Content-Type} that names one type: a wildcard ({@code *}{@code /*},
 *       {@code application/*}, {@code application/*+json}) is 415 {@code unsupported_media_type},
 *       where Spring would fail on it;</li>
 *   <li>a body that is UTF-8, strictly: the body's stream fails, as it is read, at the first byte
 *       that is not (an overlong form such as {@code C0 B1} for "1", a surrogate, a sequence cut
 *       short), and {@link ProblemHandler} answers 400 {@code malformed_json}. The JSON parser
 *       alone would decode an overlong form as the character it spells.</li>
 * </ul>
 *
 * Nothing here reads the body: it is checked as the application reads it, after the token.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class RequestShapeFilter extends OncePerRequestFilter {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE");

    private final JsonMapper jsonMapper;

    public RequestShapeFilter(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!METHODS.contains(request.getMethod())) {
            refuse(response, "method_not_allowed", "method " + request.getMethod() + " is not supported");
            return;
        }
        String contentType = request.getContentType();
        if (contentType != null && contentType.indexOf('*') >= 0) {
            refuse(response, "unsupported_media_type", "send application/json");
            return;
        }
        chain.doFilter(new Utf8Body(request), response);
    }

    private void refuse(HttpServletResponse response, String code, String detail) throws IOException {
        var problem = ProblemResponses.problem(code, detail);
        response.setStatus(problem.getStatus());
        response.setContentType("application/problem+json");
        response.getWriter().write(jsonMapper.writeValueAsString(problem));
    }

    /**
     * Thrown by the body's stream at the first byte that is not well-formed UTF-8;
     * {@link ProblemHandler} answers it with 400 {@code malformed_json}.
     */
    public static final class NotUtf8 extends IOException {
        NotUtf8() {
            super("the request body is not well-formed UTF-8");
        }
    }

    private static final class Utf8Body extends HttpServletRequestWrapper {
        private ServletInputStream checked;

        Utf8Body(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (checked == null) {
                checked = new Utf8Stream(super.getInputStream());
            }
            return checked;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }

    /** Passes the bytes on unchanged, decoding them with the JDK's strict UTF-8 decoder on the side. */
    private static final class Utf8Stream extends ServletInputStream {
        private final ServletInputStream in;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final CharBuffer scratch = CharBuffer.allocate(1024);
        /** The start of a character whose other bytes are still to come (at most 3 bytes). */
        private final ByteBuffer pending = ByteBuffer.allocate(8);
        private boolean ended;

        Utf8Stream(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                end();
            } else {
                check(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                end();
            } else if (n > 0) {
                check(buffer, offset, n);
            }
            return n;
        }

        private void check(byte[] bytes, int offset, int length) throws NotUtf8 {
            ByteBuffer input;
            if (pending.position() > 0) {
                pending.flip();
                input = ByteBuffer.allocate(pending.remaining() + length).put(pending).put(bytes, offset, length).flip();
                pending.clear();
            } else {
                input = ByteBuffer.wrap(bytes, offset, length);
            }
            decode(input, false);
            pending.put(input);
        }

        private void end() throws NotUtf8 {
            if (!ended) {
                ended = true;
                pending.flip();
                decode(pending, true);
                pending.clear();
            }
        }

        private void decode(ByteBuffer input, boolean endOfInput) throws NotUtf8 {
            while (true) {
                scratch.clear();
                CoderResult result = decoder.decode(input, scratch, endOfInput);
                if (result.isError()) {
                    throw new NotUtf8();
                }
                if (result.isUnderflow()) {
                    return;
                }
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
