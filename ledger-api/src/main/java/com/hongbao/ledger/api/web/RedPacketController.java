package com.hongbao.ledger.api.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.hongbao.ledger.api.LedgerProperties;
import com.hongbao.ledger.api.directory.AggregateFacts;
import com.hongbao.ledger.api.idempotency.IdempotentCommands;
import com.hongbao.ledger.api.idempotency.IdempotentRequest;
import com.hongbao.ledger.api.packets.GrabBatcher;
import com.hongbao.ledger.api.security.Caller;
import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.AmountParser;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.GrabOutcome;
import com.hongbao.ledger.core.packet.LuckySplit;
import com.hongbao.ledger.core.packet.PacketLimits;
import com.hongbao.ledger.core.packet.RedPacket;
import com.hongbao.ledger.core.packet.RedPacketCommand.Grab;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketSent;
import com.hongbao.ledger.core.packet.RedPacketKind;
import com.hongbao.ledger.core.wallet.WalletCommand.ReceiveFromRedPacket;
import com.hongbao.ledger.core.wallet.WalletCommand.SendRedPacket;
import com.hongbao.ledger.projections.packet.RedPacketQueries.PacketSummary;
import com.hongbao.ledger.projections.packet.RedPacketQueries.PacketView;
import com.hongbao.ledger.projections.packet.RedPacketQueries.Share;
import com.hongbao.ledger.projections.packet.RedPacketQueries;
import com.hongbao.ledger.projections.support.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Red packets: a user sends one from their wallet to a person or a group, members grab shares,
 * and anyone who can see a packet can check its lucky split against the revealed seed.
 */
@RestController
@RequestMapping("/v1/red-packets")
@Tag(name = "Red packets")
public class RedPacketController {

    private static final Logger LOG = LoggerFactory.getLogger(RedPacketController.class);
    private static final int CREDIT_ATTEMPTS = 3;

    private final IdempotentCommands commands;
    private final CommandGateway commandGateway;
    private final GrabBatcher grabs;
    private final AggregateFacts facts;
    private final RedPacketQueries packets;
    private final LedgerProperties.RedPackets settings;
    private final Clock clock;
    /** Who may see each recently used packet, weighed by its members so a few huge groups cannot fill the heap. */
    private final Cache<PacketId, Audience> audiences = Caffeine.newBuilder()
            .maximumWeight(2_000_000).weigher((PacketId id, Audience audience) -> audience.members().size() + 1)
            .expireAfterAccess(java.time.Duration.ofDays(2)).build();

    public RedPacketController(IdempotentCommands commands, CommandGateway commandGateway, GrabBatcher grabs,
                               AggregateFacts facts, RedPacketQueries packets, LedgerProperties properties,
                               Clock clock) {
        this.commands = commands;
        this.commandGateway = commandGateway;
        this.grabs = grabs;
        this.facts = facts;
        this.packets = packets;
        this.settings = properties.redPackets();
        this.clock = clock;
    }

    /**
     * {@code kind} is {@code single}, {@code group_fixed}, {@code group_lucky} or {@code exclusive};
     * {@code amount} is each share's amount, except for {@code group_lucky}, where it is the total.
     */
    public record SendRequest(String kind, AmountInput amount, String currency, Integer shares, List<String> members,
                              String recipient, String greeting) {
    }

    /** A share the caller just took; their wallet already holds it. */
    public record GrabResponse(String packetId, Money amount, int position, String walletId) {
    }

    /** A packet's page: the packet, and every share taken with who took it and when. */
    public record PacketPage(PacketSummary packet, List<Share> grabs) {
    }

    /**
     * The check of a packet's split: the seed (once revealed) hashes to the commitment made when
     * the packet was sent, and the shares drawn from it are the shares paid.
     */
    public record Verification(String packetId, String kind, String algorithm, String seedCommitment, String seed,
                               boolean revealed, Boolean commitmentMatches, List<Money> recomputedShares,
                               List<Money> paidShares, Boolean verified) {
    }

    @PostMapping
    @PreAuthorize("hasRole('user')")
    @Operation(summary = "Send a red packet from the caller's wallet; the whole amount goes into the packet's escrow;"
            + " requires an Idempotency-Key")
    public ResponseEntity<String> send(@RequestBody SendRequest request, @AuthenticationPrincipal Jwt jwt,
                                       @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        // Nothing else identifies a packet before it exists: without a key, a retried send would send twice.
        Requests.requireIdempotencyKey(key, "sending a red packet");
        RedPacketKind kind = kind(Requests.required("kind", request.kind()));
        Currency currency = AmountParser.currency(Requests.required("currency", request.currency()));
        Money amount = Requests.required("amount", request.amount()).toMoney(currency.getCurrencyCode());
        if (request.shares() == null && !kind.toOnePerson()) {
            throw new LedgerRejection("missing_field", "shares is required for a group packet");
        }
        int shares = request.shares() == null ? 1 : request.shares();
        List<UserId> members = new ArrayList<>();
        if (request.members() != null) {
            for (String member : request.members()) {
                members.add(userId("members", member));
            }
        }
        UserId recipient = request.recipient() == null ? null : userId("recipient", request.recipient());
        String greeting = Requests.optionalText("greeting", request.greeting(), 100);
        SendRedPacket command = new SendRedPacket(WalletId.of(caller.userId(), currency), PacketId.random(), kind,
                amount, shares, members, recipient, greeting == null ? "" : greeting,
                kind == RedPacketKind.GROUP_LUCKY ? LuckySplit.newSeed() : null, limits(currency), settings.ttl(),
                clock.instant());
        return commands.send(new IdempotentRequest(command, caller.subject(), "POST", "/v1/red-packets", request,
                IdempotentCommands.scopes(List.of(), caller.subject(), key), HttpStatus.CREATED, "wallet_not_found",
                "packet_already_exists"));
    }

    /**
     * Refusals are answered as problem responses straight from here rather than thrown: on a hot
     * packet almost every grab is refused, and Spring's exception resolution would cost more than
     * the decision. A grab the packet itself has to decide is answered asynchronously: the request
     * lets go of its thread while its batch is decided, and the share is credited on one of the
     * grab reply threads, so the batch holds every grab in flight and the request threads keep
     * answering refusals meanwhile. The method's declared type is {@code Object} because Spring MVC
     * picks how to write a result by its actual type: a {@code ResponseEntity} at once, a
     * {@code CompletableFuture} when it completes.
     */
    @PostMapping("/{packetId}/grab")
    @PreAuthorize("hasRole('user')")
    @Operation(summary = "Grab a share; it lands in the caller's wallet in the packet's currency, spendable at once")
    @ApiResponse(responseCode = "200", description = "the share won",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = GrabResponse.class)))
    public Object grab(@PathVariable String packetId, @AuthenticationPrincipal Jwt jwt, HttpServletRequest request) {
        UserId grabber = Caller.from(jwt).userId();
        Audience audience = audience(packetId, grabber);
        RedPacketSent packet = audience.sent();
        URI instance = URI.create(request.getRequestURI());
        // Who may not grab at all is told so before anything about the shares, as the aggregate
        // decides it, however long the packet has been emptied or expired.
        Optional<String> ineligible = audience.ineligible(grabber);
        if (ineligible.isPresent()) {
            return problem(GrabOutcome.refused(grabber, ineligible.get()), instance);
        }
        // Emptied or expired is final: answered from memory, before anything touches the database.
        Optional<GrabOutcome> known = grabs.knownOutcome(packet.packetId(), grabber);
        if (known.isPresent()) {
            return problem(known.get(), instance);
        }
        WalletId wallet = WalletId.of(grabber, packet.total().currency());
        if (facts.wallet(wallet).isEmpty()) {
            throw new LedgerRejection("no_wallet_in_currency",
                    "open a " + packet.total().currency() + " wallet to receive this packet");
        }
        CompletableFuture<GrabOutcome> decided;
        try {
            decided = grabs.decide(packet.packetId(), new Grab(grabber, wallet));
        } catch (RuntimeException e) {
            throw grabFailure(e);
        }
        return decided.handleAsync((outcome, failure) -> {
            if (failure != null) {
                throw grabFailure(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
            if (!outcome.won()) {
                return problem(outcome, instance);
            }
            credit(wallet, packet.packetId(), outcome.amount());
            return ResponseEntity.ok(new GrabResponse(packetId, outcome.amount(), outcome.position(), wallet.value()));
        }, grabs.replies());
    }

    /** What a grab's failure tells the caller. */
    private static RuntimeException grabFailure(Throwable failure) {
        return switch (failure) {
            case AggregateNotFoundException e -> notFound();
            case ConcurrencyException e -> new LedgerRejection("concurrent_update",
                    "too many concurrent changes; retry the request");
            case GrabBatcher.GrabUndecided e -> new LedgerRejection("grab_undecided",
                    "the grab was not decided in time; grab again to learn the outcome");
            case RuntimeException e -> e;
            default -> new IllegalStateException("grab failed", failure);
        };
    }

    /**
     * A refused grab as a problem; {@code already_grabbed} also carries the caller's share as
     * {@code share} (an amount with its currency), so a client that lost the answer to its winning
     * grab learns what it got by grabbing again.
     */
    private static ResponseEntity<ProblemDetail> problem(GrabOutcome outcome, URI instance) {
        LedgerRejection refusal = refusal(outcome);
        ResponseEntity<ProblemDetail> response = ProblemResponses.response(refusal.code(), refusal.getMessage());
        response.getBody().setInstance(instance);
        if (outcome.amount() != null) {
            response.getBody().setProperty("share", outcome.amount());
        }
        return response;
    }

    @GetMapping("/{packetId}")
    @PreAuthorize("hasAnyRole('user', 'finance')")
    @Operation(summary = "A packet's page: who got what and when, and the best luck once it is emptied")
    public PacketPage get(@PathVariable String packetId, @AuthenticationPrincipal Jwt jwt) {
        PacketView view = readable(packetId, Caller.from(jwt));
        return new PacketPage(view.packet(), view.grabs());
    }

    @GetMapping("/{packetId}/verification")
    @PreAuthorize("hasAnyRole('user', 'finance')")
    @Operation(summary = "Recompute the split from the revealed seed and compare it with the shares paid")
    public Verification verify(@PathVariable String packetId, @AuthenticationPrincipal Jwt jwt) {
        PacketView view = readable(packetId, Caller.from(jwt));
        PacketSummary packet = view.packet();
        List<Money> paid = view.grabs().stream().map(Share::amount).toList();
        String algorithm = "double-mean; see LuckySplit: draw i = low + v mod (high - low + 1), v from SHA-256(seed || i || attempt)";
        if (packet.seed() == null) {
            return new Verification(packet.packetId(), packet.kind(), algorithm, packet.seedCommitment(), null,
                    false, null, null, paid, null);
        }
        boolean commitmentMatches = LuckySplit.commitment(packet.seed()).equals(packet.seedCommitment());
        List<Money> recomputed = LuckySplit.split(packet.seed(), packet.total().minor(), packet.shares(),
                packet.minShareMinor(), packet.maxShareMinor()).stream()
                .map(minor -> Money.of(minor, packet.currency())).toList();
        boolean sharesMatch = paid.equals(recomputed.subList(0, Math.min(paid.size(), recomputed.size())));
        return new Verification(packet.packetId(), packet.kind(), algorithm, packet.seedCommitment(), packet.seed(),
                true, commitmentMatches, recomputed, paid, commitmentMatches && sharesMatch);
    }

    @GetMapping
    @PreAuthorize("hasRole('user')")
    @Operation(summary = "The packets the caller sent (role=sent, the default) or got a share of (role=received)")
    public Page<?> list(@Parameter(description = "sent or received") @RequestParam(required = false) String role,
                        @Parameter(description = "cursor from the previous page") @RequestParam(required = false) String cursor,
                        @RequestParam(required = false) Integer limit, @AuthenticationPrincipal Jwt jwt) {
        String user = Caller.from(jwt).userId().value();
        int pageSize = Requests.pageSize(limit);
        if (role == null || role.equals("sent")) {
            return packets.sentBy(user, cursor, pageSize);
        }
        if (role.equals("received")) {
            return packets.receivedBy(user, cursor, pageSize);
        }
        throw new LedgerRejection("invalid_parameter", "role must be 'sent' or 'received'");
    }

    private PacketLimits limits(Currency currency) {
        return new PacketLimits(AmountParser.positive(settings.minShare().toPlainString(), currency).minor(),
                AmountParser.positive(settings.maxShare().toPlainString(), currency).minor(), settings.maxShares(),
                settings.maxGroupSize());
    }

    /** The packet as sent, if the caller is its sender, its recipient or a member; otherwise not found. */
    private RedPacketSent visiblePacket(String packetId, UserId caller) {
        return audience(packetId, caller).sent();
    }

    private Audience audience(String packetId, UserId caller) {
        PacketId id = packetId(packetId);
        // Loaded once per packet, however many grabs arrive at once: a hot packet's sent event is large.
        Audience audience = audiences.get(id, key -> facts.packet(key).map(Audience::new).orElse(null));
        if (audience == null || !audience.maySee(caller)) {
            throw notFound();
        }
        return audience;
    }

    /** Who may see a packet, as a set: a hot packet's thousands of members are checked once per grab. */
    private record Audience(RedPacketSent sent, Set<UserId> members) {

        Audience(RedPacketSent sent) {
            this(sent, Set.copyOf(sent.members()));
        }

        boolean maySee(UserId user) {
            return user.equals(sent.sender()) || user.equals(sent.recipient()) || members.contains(user);
        }

        /** Why someone who sees the packet may never grab it, as {@code RedPacket} decides it. */
        Optional<String> ineligible(UserId user) {
            return Optional.ofNullable(RedPacket.ineligibility(sent.recipient(), members, user));
        }
    }

    private PacketView readable(String packetId, Caller caller) {
        if (!caller.isFinance()) {
            visiblePacket(packetId, caller.userId());
        }
        return packets.byId(packetId).orElseThrow(RedPacketController::notFound);
    }

    /**
     * Credits the share at once so it is spendable by the grabber's next request. If this fails,
     * the share is still theirs: the event-driven creditor delivers it, and the wallet takes each
     * packet's share only once.
     */
    private void credit(WalletId wallet, PacketId packetId, Money amount) {
        for (int attempt = 1; attempt <= CREDIT_ATTEMPTS; attempt++) {
            try {
                commandGateway.sendAndWait(new ReceiveFromRedPacket(wallet, packetId, amount, false, clock.instant()));
                return;
            } catch (ConcurrencyException e) {
                LOG.debug("crediting {} from {} raced another credit; trying again", wallet, packetId);
            } catch (RuntimeException e) {
                LOG.warn("could not credit {} from {} at once; the red-packet creditor will", wallet, packetId, e);
                return;
            }
        }
    }

    private static LedgerRejection refusal(GrabOutcome outcome) {
        return switch (outcome.refusal()) {
            case "packet_not_found" -> notFound();
            case "already_grabbed" -> new LedgerRejection("already_grabbed",
                    "you already took a share of " + outcome.amount() + " from this packet");
            case "packet_emptied" -> new LedgerRejection("packet_emptied", "every share of this packet is taken");
            case "packet_expired" -> new LedgerRejection("packet_expired", "this packet has expired");
            case "packet_for_another_member" -> new LedgerRejection("packet_for_another_member",
                    "this packet is for another member");
            case "not_group_member" -> new LedgerRejection("not_group_member", "only the group's members can grab");
            default -> new LedgerRejection(outcome.refusal(), outcome.refusal().replace('_', ' '));
        };
    }

    private static RedPacketKind kind(String text) {
        for (RedPacketKind kind : RedPacketKind.values()) {
            if (kind.code().equals(text)) {
                return kind;
            }
        }
        throw new LedgerRejection("invalid_request", "kind must be single, group_fixed, group_lucky or exclusive");
    }

    private static UserId userId(String field, String text) {
        try {
            return new UserId(Requests.required(field, text));
        } catch (IllegalArgumentException e) {
            throw new LedgerRejection("invalid_request", field + " holds an invalid user id");
        }
    }

    private static PacketId packetId(String text) {
        try {
            return new PacketId(text);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    private static LedgerRejection notFound() {
        // The same words for every packet id: absent and not-yours must read alike.
        return new LedgerRejection("packet_not_found", "no such red packet");
    }
}
