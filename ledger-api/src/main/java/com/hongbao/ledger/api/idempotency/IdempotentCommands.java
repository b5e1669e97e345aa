package com.hongbao.ledger.api.idempotency;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.ClaimId;
import com.hongbao.ledger.core.idempotency.IdempotencyClaim.IdempotencyKeyClaimed;
import com.hongbao.ledger.core.campaign.CampaignCommand.FundCampaign;
import com.hongbao.ledger.core.refund.RefundCommand;
import com.hongbao.ledger.core.wallet.WalletCommand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends commands whose effects must happen at most once per idempotency key, and answers a
 * repeated request with the first request's response.
 *
 * <p>Each key (a natural one such as a merchant's order number, and the client's
 * {@code Idempotency-Key} header if present) becomes an {@code IdempotencyClaim} aggregate that
 * {@link ClaimingInterceptor} creates in the command's own unit of work, carrying a fingerprint of
 * the request and the serialised response. The event store's unique (aggregate, sequence) index
 * lets one request per key commit. The happy path costs no extra read: claims are only looked up
 * when a command fails, since a repeat fails either on its claim or on a business rule that the
 * first request's effects now trip (for example the money is gone).
 */
public class IdempotentCommands {

    /** Command metadata: the claim scopes, separated by newlines. */
    public static final String CLAIM_SCOPES = "ledger-claim-scopes";
    public static final String FINGERPRINT = "ledger-request-fingerprint";
    public static final String RESPONSE_STATUS = "ledger-response-status";

    private static final int CONCURRENCY_RETRIES = 3;
    private static final int REJECTION_ATTEMPTS = 2;

    private final CommandGateway commandGateway;
    private final EventStore eventStore;
    private final JsonMapper jsonMapper;

    public IdempotentCommands(CommandGateway commandGateway, EventStore eventStore, JsonMapper jsonMapper) {
        this.commandGateway = commandGateway;
        this.eventStore = eventStore;
        this.jsonMapper = jsonMapper;
    }

    /** Sends the command and answers with its result, or with the first response to the same keys. */
    public ResponseEntity<String> send(IdempotentRequest request) {
        List<String> scopes = request.scopes();
        String fingerprint = fingerprint(request);
        MetaData metaData = scopes.isEmpty() ? MetaData.emptyInstance() : MetaData.with(CLAIM_SCOPES, String.join("\n", scopes))
                .and(FINGERPRINT, fingerprint)
                .and(RESPONSE_STATUS, request.status().value());
        for (int attempt = 1; ; attempt++) {
            try {
                Object result = commandGateway.sendAndWait(
                        GenericCommandMessage.asCommandMessage(request.command()).andMetaData(metaData));
                String body = result instanceof ClaimingInterceptor.RenderedResult rendered
                        ? rendered.body()
                        : ResponseShapes.body(jsonMapper, result);
                return json(request.status().value(), body);
            } catch (AggregateStreamCreationException e) {
                return replay(scopes, fingerprint).orElseThrow(() -> new LedgerRejection(request.alreadyExistsCode(),
                        request.alreadyExistsCode().replace('_', ' ')));
            } catch (LedgerRejection e) {
                Optional<ResponseEntity<String>> replayed = replay(scopes, fingerprint);
                if (replayed.isPresent()) {
                    return replayed.get();
                }
                // With several nodes, this node's cached wallet may predate another node's top-up
                // or checkout, and the refusal (insufficient funds, no such plan, credit used up)
                // was decided on it. Rolling back dropped the wallet from the cache, so deciding
                // once more reads it from the store: a refusal the client sees is one the stored
                // state gives. A refusal changed nothing, so deciding again is safe. Wallets, which
                // users top up and spend from anywhere, and merchants, which are cached too (ADR 17):
                // a refund or a campaign funding refused on a copy that predates another node's new
                // negative limit, released payout hold or credit must not be told to the merchant;
                // both are rebuilt from a snapshot and at most 100 events. A payment's refusals are
                // final, and a campaign's (a budget a returned packet refilled on another node)
                // clear up once its cached copy is dropped, which this refusal did, so the
                // merchant's retry is decided fresh.
                if (attempt >= REJECTION_ATTEMPTS || !decidedAgainWhenRefused(request.command())) {
                    throw e;
                }
            } catch (AggregateNotFoundException e) {
                // Worded exactly as the aggregates' own refusals of what is not the caller's (e.g.
                // PaymentNotFound), so "absent" and "someone else's" cannot be told apart.
                return replay(scopes, fingerprint).orElseThrow(() -> new LedgerRejection(request.notFoundCode(),
                        "no " + request.notFoundCode().replace("_not_found", "") + " " + e.getAggregateIdentifier()));
            } catch (ConcurrencyException e) {
                // Another node appended to the same aggregate first; the command is decided again on fresh state.
                Optional<ResponseEntity<String>> replayed = replay(scopes, fingerprint);
                if (replayed.isPresent()) {
                    return replayed.get();
                }
                if (attempt >= CONCURRENCY_RETRIES) {
                    throw new LedgerRejection("concurrent_update", "too many concurrent changes; retry the request");
                }
            }
        }
    }

    private Optional<ResponseEntity<String>> replay(List<String> scopes, String fingerprint) {
        for (String scope : scopes) {
            Optional<IdempotencyKeyClaimed> claim = claim(scope);
            if (claim.isPresent()) {
                if (!claim.get().requestFingerprint().equals(fingerprint)) {
                    throw new LedgerRejection("idempotency_key_reused",
                            "this idempotency key was used before with a different request");
                }
                return Optional.of(json(claim.get().responseStatus(), claim.get().responseBody()));
            }
        }
        return Optional.empty();
    }

    private Optional<IdempotencyKeyClaimed> claim(String scope) {
        DomainEventStream events = eventStore.readEvents(ClaimId.forScope(scope).value());
        if (!events.hasNext()) {
            return Optional.empty();
        }
        return Optional.of((IdempotencyKeyClaimed) events.next().getPayload());
    }

    private String fingerprint(IdempotentRequest request) {
        String canonical = request.caller() + "\n" + request.method() + " " + request.path() + "\n"
                + jsonMapper.writeValueAsString(request.body());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    private static ResponseEntity<String> json(int status, String body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /** Scopes of a request: the natural keys first, then the client's header key (scoped to the caller). */
    public static List<String> scopes(List<String> naturalScopes, String caller, String idempotencyKeyHeader) {
        List<String> scopes = new ArrayList<>(naturalScopes);
        if (idempotencyKeyHeader != null) {
            if (idempotencyKeyHeader.isBlank() || idempotencyKeyHeader.length() > 255) {
                throw new LedgerRejection("invalid_idempotency_key", "Idempotency-Key must be 1 to 255 characters");
            }
            // The caller's length first, so no subject containing ':' can collide with another's keys.
            scopes.add("idempotency-key:" + caller.length() + ":" + caller + ":" + idempotencyKeyHeader);
        }
        return scopes;
    }

    /** Commands on the aggregates whose cached copies may predate another node's writes, and whose refusals can then be wrong. */
    private static boolean decidedAgainWhenRefused(Object command) {
        return command instanceof WalletCommand || command instanceof RefundCommand || command instanceof FundCampaign;
    }
}
