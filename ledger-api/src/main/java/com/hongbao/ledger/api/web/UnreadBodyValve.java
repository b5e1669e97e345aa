package com.hongbao.ledger.api.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * What happens to the rest of a request body after an error response:
 *
 * <ul>
 *   <li>A 408 (the body stopped arriving while the application read it, for a whole connection
 *       timeout) closes the connection at once, through Tomcat's own mechanism for aborted
 *       uploads ({@link ActionCode#DISABLE_SWALLOW_INPUT}), instead of waiting for the same body
 *       a second time.</li>
 *   <li>Any other error response to a request whose body was not read to its end (a 401 without
 *       a token, a 403) says {@code Connection: close}. Tomcat reads ("swallows") the rest of the
 *       body after the response has gone out, at most its {@code maxSwallowSize} (2 MiB), each
 *       read bounded by the connection timeout, and then closes: a client that never finishes its
 *       body is cut within that timeout, and holds a parked virtual thread meanwhile, not a
 *       platform thread ({@link SlowClients}). Closing at once instead would reset the
 *       connection on a client still sending its body (its bytes unread in the socket), which
 *       can lose the response on the way.</li>
 * </ul>
 */
public class UnreadBodyValve extends ValveBase {

    public UnreadBodyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        int status = response.getStatus();
        if (request.isAsync() || status < 400 || request.getCoyoteRequest().isFinished()) {
            return;
        }
        if (!response.isCommitted()) {
            response.setHeader("Connection", "close");
        }
        if (status == 408) {
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }
}
