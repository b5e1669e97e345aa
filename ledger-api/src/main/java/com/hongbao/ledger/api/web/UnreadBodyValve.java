package com.hongbao.ledger.api.web;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * Closes the connection after an error response to a request none of whose body was read, instead
 * of letting Tomcat read ("swallow") that body before the next request. A request refused before
 * its body is read (no token, a role that may not post here) may come from a client that never
 * finishes its body; swallowing it would hold a thread until the read timed out. The response
 * says {@code Connection: close}, and Tomcat's own mechanism for aborted uploads
 * ({@link ActionCode#DISABLE_SWALLOW_INPUT}) drops the rest.
 *
 * <p>A 408 (the body stopped arriving while it was read) closes the connection too: the client
 * has already had the connection timeout to send more.
 *
 * <p>A 413 is left to Tomcat, as is a body the application had begun to read: such a client is
 * most likely still sending, and closing with its bytes unread would reset the connection, which
 * can lose the response on the way. Tomcat drains at most its {@code maxSwallowSize} (2 MiB), each
 * read bounded by the connection timeout, and then closes.
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
        boolean unread = request.getCoyoteRequest().getBytesRead() == 0 && status != 413;
        boolean stalled = status == 408;
        if (!unread && !stalled) {
            return;
        }
        if (!response.isCommitted()) {
            response.setHeader("Connection", "close");
        }
        request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
    }
}
