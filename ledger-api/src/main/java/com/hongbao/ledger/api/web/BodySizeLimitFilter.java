package com.hongbao.ledger.api.web;

import com.hongbao.ledger.api.LedgerProperties;
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
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses request bodies above {@code ledger.http.max-body-bytes} with 413: at once by the declared
 * length when there is one, otherwise (a chunked body) as it is read, when the first byte past the
 * limit arrives. Nothing here reads the body: it is read where the application reads it, after
 * the bearer token has been checked, so a request without a token is refused without waiting for
 * a body a slow or hostile client may never finish.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long maxBodyBytes;
    private final JsonMapper jsonMapper;

    public BodySizeLimitFilter(LedgerProperties properties, JsonMapper jsonMapper) {
        this.maxBodyBytes = properties.http().maxBodyBytes();
        this.jsonMapper = jsonMapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            tooLarge(response);
            return;
        }
        if (declared < 0 && request.getHeader("Transfer-Encoding") != null) {
            chain.doFilter(new LimitedBody(request, maxBodyBytes), response);
            return;
        }
        chain.doFilter(request, response);
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        var problem = ProblemResponses.problem("payload_too_large", tooLargeDetail(maxBodyBytes));
        response.setStatus(problem.getStatus());
        response.setContentType("application/problem+json");
        response.getWriter().write(jsonMapper.writeValueAsString(problem));
    }

    static String tooLargeDetail(long maxBodyBytes) {
        return "request bodies are limited to " + maxBodyBytes + " bytes";
    }

    /**
     * Thrown by the body's stream when a body without a declared length goes past the limit;
     * {@link ProblemHandler} answers it with 413 {@code payload_too_large}, whoever was reading.
     */
    public static final class BodyTooLarge extends IOException {
        private final long maxBodyBytes;

        BodyTooLarge(long maxBodyBytes) {
            super(tooLargeDetail(maxBodyBytes));
            this.maxBodyBytes = maxBodyBytes;
        }

        public long maxBodyBytes() {
            return maxBodyBytes;
        }
    }

    /** The request with a body stream that fails once more than the limit has been read. */
    private static final class LimitedBody extends HttpServletRequestWrapper {
        private final long maxBodyBytes;
        private ServletInputStream limited;

        LimitedBody(HttpServletRequest request, long maxBodyBytes) {
            super(request);
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = new LimitedStream(super.getInputStream(), maxBodyBytes);
            }
            return limited;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long maxBodyBytes;
        private long read;

        LimitedStream(ServletInputStream in, long maxBodyBytes) {
            this.in = in;
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLarge {
            read += n;
            if (read > maxBodyBytes) {
                throw new BodyTooLarge(maxBodyBytes);
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
