package com.hongbao.ledger.api.idempotency;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A creating request: the command to send, what identifies the request for idempotency (on whose
 * behalf it is made — usually the caller —, method, path and parsed body), its idempotency scopes,
 * and the codes for the resource it acts on being absent or already present.
 */
public record IdempotentRequest(Object command, String caller, String method, String path, Object body,
                                List<String> scopes, HttpStatus status, String notFoundCode,
                                String alreadyExistsCode) {
}
