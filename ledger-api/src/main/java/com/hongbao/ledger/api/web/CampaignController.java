package com.hongbao.ledger.api.web;

import com.hongbao.ledger.api.LedgerProperties;
import com.hongbao.ledger.api.idempotency.IdempotentCommands;
import com.hongbao.ledger.api.idempotency.IdempotentRequest;
import com.hongbao.ledger.api.security.Caller;
import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.campaign.CampaignCommand.FundCampaign;
import com.hongbao.ledger.core.campaign.CampaignCommand.IssueCampaignPacket;
import com.hongbao.ledger.core.campaign.CampaignTerms;
import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.money.AmountParser;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.projections.campaign.CampaignQueries;
import com.hongbao.ledger.projections.campaign.CampaignQueries.CampaignReport;
import com.hongbao.ledger.projections.campaign.CampaignQueries.CampaignView;
import com.hongbao.ledger.projections.ledger.LedgerQueries;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Brand campaigns: a merchant funds a budget from its settlement balance and issues red packets
 * from it to users (e.g. from its mini-program backend, with the merchant's token); the merchant
 * and finance read the campaign and its report.
 */
@RestController
@Tag(name = "Campaigns")
public class CampaignController {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final IdempotentCommands commands;
    private final CampaignQueries campaigns;
    private final LedgerQueries ledger;
    private final LedgerProperties properties;
    private final Clock clock;

    public CampaignController(IdempotentCommands commands, CampaignQueries campaigns, LedgerQueries ledger,
                              LedgerProperties properties, Clock clock) {
        this.commands = commands;
        this.campaigns = campaigns;
        this.ledger = ledger;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Each packet is {@code fixedAmount}, or a random amount in [{@code minAmount}, {@code maxAmount}];
     * {@code dailyMaxAmount} caps what is issued per day in the platform's time zone.
     */
    public record CampaignRequest(String name, String currency, AmountInput budget, String startsAt, String endsAt,
                                  Integer perUserMaxCount, AmountInput perUserMaxAmount, AmountInput dailyMaxAmount,
                                  AmountInput fixedAmount, AmountInput minAmount, AmountInput maxAmount) {
    }

    public record IssueRequest(String userId) {
    }

    @PostMapping("/v1/merchants/{merchantId}/campaigns")
    @PreAuthorize("hasRole('merchant')")
    @Operation(summary = "Fund a campaign from the merchant's settlement balance; requires an Idempotency-Key")
    public ResponseEntity<String> fund(@PathVariable String merchantId, @RequestBody CampaignRequest request,
                                       @AuthenticationPrincipal Jwt jwt,
                                       @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        if (!caller.actsFor(merchantId)) {
            throw new LedgerRejection("merchant_not_found", "no merchant " + merchantId);
        }
        Requests.requireIdempotencyKey(key, "funding a campaign");
        String name = Requests.optionalText("name", Requests.required("name", request.name()), 100);
        if (name.isBlank()) {
            // As for a merchant's name: the report and the statements show it.
            throw new LedgerRejection("invalid_request", "field 'name' must not be blank");
        }
        Currency currency = AmountParser.currency(Requests.required("currency", request.currency()));
        String code = currency.getCurrencyCode();
        CampaignTerms terms = new CampaignTerms(name, Requests.required("budget", request.budget()).toMoney(code),
                required("startsAt", request.startsAt()), required("endsAt", request.endsAt()),
                Requests.required("perUserMaxCount", request.perUserMaxCount()),
                Requests.required("perUserMaxAmount", request.perUserMaxAmount()).toMoney(code),
                Requests.required("dailyMaxAmount", request.dailyMaxAmount()).toMoney(code),
                optional(request.fixedAmount(), code), optional(request.minAmount(), code),
                optional(request.maxAmount(), code));
        LedgerProperties.RedPackets limits = properties.redPackets();
        FundCampaign command = new FundCampaign(new MerchantId(merchantId), CampaignId.random(), terms,
                ledger.creditedMinor("merchant:" + merchantId, code),
                AmountParser.positive(limits.minShare().toPlainString(), currency).minor(),
                AmountParser.positive(limits.maxShare().toPlainString(), currency).minor(), clock.instant());
        return commands.send(new IdempotentRequest(command, caller.subject(), "POST",
                "/v1/merchants/" + merchantId + "/campaigns", request,
                IdempotentCommands.scopes(List.of(), caller.subject(), key), HttpStatus.CREATED, "merchant_not_found",
                "campaign_already_exists"));
    }

    @PostMapping("/v1/campaigns/{campaignId}/packets")
    @PreAuthorize("hasRole('merchant')")
    @Operation(summary = "Issue a packet from the campaign to one user; only they can open it, for 24 hours;"
            + " requires an Idempotency-Key")
    public ResponseEntity<String> issue(@PathVariable String campaignId, @RequestBody IssueRequest request,
                                        @AuthenticationPrincipal Jwt jwt,
                                        @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        Caller caller = Caller.from(jwt);
        Requests.requireIdempotencyKey(key, "issuing a campaign packet");
        UserId recipient;
        try {
            recipient = new UserId(Requests.required("userId", request.userId()));
        } catch (IllegalArgumentException e) {
            throw new LedgerRejection("invalid_request", "userId is not a valid user id");
        }
        Instant now = clock.instant();
        IssueCampaignPacket command = new IssueCampaignPacket(campaignId(campaignId), caller.merchant(),
                PacketId.random(), recipient, RANDOM.nextLong(), LocalDate.ofInstant(now, properties.platform().timeZone()),
                properties.redPackets().ttl(), now);
        return commands.send(new IdempotentRequest(command, caller.subject(), "POST",
                "/v1/campaigns/" + campaignId + "/packets", request,
                IdempotentCommands.scopes(List.of(), caller.subject(), key), HttpStatus.CREATED, "campaign_not_found",
                "packet_already_exists"));
    }

    @GetMapping("/v1/campaigns/{campaignId}")
    @PreAuthorize("hasAnyRole('merchant', 'finance')")
    @Operation(summary = "A campaign: its terms, unissued budget and status")
    public CampaignView get(@PathVariable String campaignId, @AuthenticationPrincipal Jwt jwt) {
        return visible(campaignId, Caller.from(jwt));
    }

    @GetMapping("/v1/campaigns/{campaignId}/report")
    @PreAuthorize("hasAnyRole('merchant', 'finance')")
    @Operation(summary = "The campaign report, for the whole campaign and per day in the platform's time zone")
    public CampaignReport report(@PathVariable String campaignId, @AuthenticationPrincipal Jwt jwt) {
        visible(campaignId, Caller.from(jwt));
        return campaigns.report(campaignId, properties.platform().timeZone())
                .orElseThrow(() -> notFound(campaignId));
    }

    private CampaignView visible(String campaignId, Caller caller) {
        return campaigns.byId(campaignId).filter(view -> caller.isFinance() || caller.actsFor(view.merchantId()))
                .orElseThrow(() -> notFound(campaignId));
    }

    /** Nothing else identifies a campaign or a packet before it exists: without a key, a retry would spend twice. */
    private static Instant required(String field, String value) {
        return Requests.instant(field, Requests.required(field, value));
    }

    private static Money optional(AmountInput amount, String currency) {
        return amount == null ? null : amount.toMoney(currency);
    }

    private static CampaignId campaignId(String text) {
        try {
            return new CampaignId(text);
        } catch (IllegalArgumentException e) {
            throw notFound(text);
        }
    }

    /** Worded as every other refusal of a campaign that does not exist or is someone else's. */
    private static LedgerRejection notFound(String campaignId) {
        return new LedgerRejection("campaign_not_found", "no campaign " + campaignId);
    }
}
