package com.hongbao.ledger.api.idempotency;

import com.hongbao.ledger.core.id.ClaimId;
import com.hongbao.ledger.core.idempotency.IdempotencyClaim;
import java.time.Clock;
import java.util.function.Supplier;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * After a command with idempotency scopes succeeds, creates one {@link IdempotencyClaim} per
 * scope in the same unit of work, so the claims and the command's events commit or fail together,
 * and returns the rendered response body in place of the command's result.
 */
public class ClaimingInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final Supplier<Repository<IdempotencyClaim>> claims;
    private final JsonMapper jsonMapper;
    private final Clock clock;

    public ClaimingInterceptor(Supplier<Repository<IdempotencyClaim>> claims, JsonMapper jsonMapper, Clock clock) {
        this.claims = claims;
        this.jsonMapper = jsonMapper;
        this.clock = clock;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        MetaData metaData = unitOfWork.getMessage().getMetaData();
        Object result = chain.proceed();
        Object scopes = metaData.get(IdempotentCommands.CLAIM_SCOPES);
        if (scopes == null) {
            return result;
        }
        String fingerprint = (String) metaData.get(IdempotentCommands.FINGERPRINT);
        int status = ((Number) metaData.get(IdempotentCommands.RESPONSE_STATUS)).intValue();
        String body = ResponseShapes.body(jsonMapper, result);
        for (String scope : ((String) scopes).split("\n")) {
            ClaimId claimId = ClaimId.forScope(scope);
            claims.get().newInstance(() -> new IdempotencyClaim(claimId, scope, fingerprint, status, body, clock.instant()));
        }
        // The sender answers with exactly the body stored in the claims, rendered once.
        return new RenderedResult(body);
    }

    /** The result of a command with idempotency scopes: its response body as stored in its claims. */
    record RenderedResult(String body) {
    }
}
