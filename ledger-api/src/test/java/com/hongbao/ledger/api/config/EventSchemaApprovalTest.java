package com.hongbao.ledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.bnpl.InstalmentBalance;
import com.hongbao.ledger.core.bnpl.InstalmentSchedule;
import com.hongbao.ledger.core.bnpl.PlanEvent;
import com.hongbao.ledger.core.bnpl.PlanEvent.CreditLineSet;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentCollectionFailed;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentsOverdue;
import com.hongbao.ledger.core.bnpl.PlanEvent.InstalmentsPaid;
import com.hongbao.ledger.core.bnpl.PlanEvent.LateFeeCharged;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanCheckedOut;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanDefaulted;
import com.hongbao.ledger.core.bnpl.PlanEvent.PlanRefundApplied;
import com.hongbao.ledger.core.bnpl.PlanStatus;
import com.hongbao.ledger.core.bnpl.PlanTerms;
import com.hongbao.ledger.core.bnpl.PlanType;
import com.hongbao.ledger.core.bnpl.RepaymentSource;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignCreated;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignEnded;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignPacketIssued;
import com.hongbao.ledger.core.campaign.CampaignEvent.CampaignPacketReturned;
import com.hongbao.ledger.core.campaign.CampaignEvent.MerchantFundedCampaign;
import com.hongbao.ledger.core.campaign.CampaignEvent;
import com.hongbao.ledger.core.campaign.CampaignTerms;
import com.hongbao.ledger.core.id.CampaignId;
import com.hongbao.ledger.core.id.ClaimId;
import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.PacketId;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.id.WithdrawalId;
import com.hongbao.ledger.core.idempotency.IdempotencyClaim.IdempotencyKeyClaimed;
import com.hongbao.ledger.core.merchant.Merchant.MerchantOnboarded;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.packet.LuckySplit;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketEmptied;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketExpired;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketGrabbed;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketSent;
import com.hongbao.ledger.core.packet.RedPacketEvent;
import com.hongbao.ledger.core.packet.RedPacketKind;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorisationExpired;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorisationVoided;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorised;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentCaptured;
import com.hongbao.ledger.core.payment.PaymentEvent;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantNegativeLimitSet;
import com.hongbao.ledger.core.refund.RefundEvent.MerchantRefundedPayment;
import com.hongbao.ledger.core.refund.RefundEvent;
import com.hongbao.ledger.core.settlement.SettlementEvent;
import com.hongbao.ledger.core.settlement.SettlementEvent.MerchantDaySettled;
import com.hongbao.ledger.core.settlement.SettlementEvent.MerchantPayoutsHeld;
import com.hongbao.ledger.core.wallet.WalletCommand.CaptureMode;
import com.hongbao.ledger.core.wallet.WalletEvent.PaymentHoldReleased;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletCreditedFromRedPacket;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletCreditedWithRefund;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletDebitedForPayment;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletDebitedForRedPacket;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletOpened;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletToppedUp;
import com.hongbao.ledger.core.wallet.WalletEvent.WalletWithdrawn;
import com.hongbao.ledger.core.wallet.WalletEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The stored JSON of every event type is a contract: old events must stay readable forever. This
 * test pins each event's JSON to an approved file under {@code src/test/resources/event-schema}
 * and checks it reads back to an equal event. A change to an event must bump its
 * {@code @Revision} and ship an upcaster (a field added as nullable reads as null from older JSON,
 * which a sample under {@code legacy/} pins instead); only then is its approved file replaced. When a file
 * differs or is missing, the received JSON is written to {@code target/event-schema-received}.
 */
class EventSchemaApprovalTest {

    private static final Path APPROVED = Path.of("src/test/resources/event-schema");
    private static final Path RECEIVED = Path.of("target/event-schema-received");
    private static final Instant AT = Instant.parse("2026-02-16T12:00:00.123456Z");
    private static final Currency CNY = Currency.getInstance("CNY");
    private static final WalletId WALLET = new WalletId("w_0123456789abcdef0123456789abcdef");
    private static final PaymentId PAYMENT = new PaymentId("p_0123456789abcdef0123456789abcdef");
    private static final MerchantId MERCHANT = new MerchantId("m_tea");
    private static final UserId ALICE = new UserId("alice");
    private static final RefundId REFUND = new RefundId("rf_0123456789abcdef0123456789abcdef");
    private static final PacketId PACKET = new PacketId("rp_0123456789abcdef0123456789abcdef");
    private static final CampaignId CAMPAIGN = new CampaignId("cp_0123456789abcdef0123456789abcdef");
    private static final String SEED = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String SEALED_SEED = "v1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdo";

    private final JacksonSerializer serializer = EventJson.serializer();

    static List<Object> samples() {
        Money amount = Money.of(5_000, CNY);
        List<Object> samples = new ArrayList<>(List.of(
                new WalletOpened(WALLET, ALICE, CNY, AT),
                new WalletToppedUp(WALLET, "icbc-0001", Money.of(10_000, CNY), Money.of(10_000, CNY), AT),
                new WalletWithdrawn(WALLET, new WithdrawalId("wd_1"), "tok_card_1", Money.of(1_000, CNY),
                        Money.of(9_000, CNY), AT),
                new WalletDebitedForPayment(WALLET, PAYMENT, MERCHANT, "T-1001", amount, true, Money.of(4_000, CNY), AT),
                new PaymentHoldReleased(WALLET, PAYMENT, amount, Money.of(2_000, CNY), Money.of(6_000, CNY), AT),
                new PaymentAuthorised(PAYMENT, WALLET, ALICE, MERCHANT, "T-1001", "two cups of tea", amount, 60,
                        CaptureMode.MANUAL, AT, AT.plusSeconds(604_800)),
                new PaymentCaptured(PAYMENT, WALLET, ALICE, MERCHANT, "T-1001", amount, Money.of(3_000, CNY),
                        Money.of(18, CNY), Money.of(2_982, CNY), Money.of(2_000, CNY), 60, CaptureMode.MANUAL, AT),
                new PaymentAuthorisationVoided(PAYMENT, WALLET, MERCHANT, amount, AT),
                new PaymentAuthorisationExpired(PAYMENT, WALLET, MERCHANT, amount, AT),
                new MerchantOnboarded(MERCHANT, "Tea shop", 60, CNY, AT),
                new IdempotencyKeyClaimed(ClaimId.forScope("payment-order:m_tea:T-1001"), "payment-order:m_tea:T-1001",
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 201,
                        "{\"paymentId\":\"p_0123456789abcdef0123456789abcdef\"}", AT),
                new WalletDebitedForRedPacket(WALLET, PACKET, amount, Money.of(5_000, CNY), AT),
                new WalletCreditedFromRedPacket(WALLET, PACKET, Money.of(1_234, CNY), false, Money.of(6_234, CNY), AT),
                new RedPacketSent(PACKET, ALICE, WALLET, RedPacketKind.GROUP_LUCKY, amount, 3, null,
                        List.of(ALICE, new UserId("bob"), new UserId("carol")), null, "恭喜发财", LuckySplit.commitment(SEED),
                        null, SEALED_SEED, 1, 20_000, AT, AT.plusSeconds(86_400), null),
                new RedPacketGrabbed(PACKET, new UserId("bob"), WALLET, 0, Money.of(1_234, CNY), Money.of(3_766, CNY), AT),
                new RedPacketEmptied(PACKET, new UserId("bob"), Money.of(2_000, CNY), SEED, AT),
                new RedPacketExpired(PACKET, null, null, Money.of(500, CNY), 1, null, AT, CAMPAIGN),
                new MerchantFundedCampaign(MERCHANT, CAMPAIGN, Money.of(100_000, CNY), AT),
                new CampaignCreated(CAMPAIGN, MERCHANT, new CampaignTerms("Spring tea", Money.of(100_000, CNY), AT,
                        AT.plusSeconds(604_800), 2, Money.of(2_000, CNY), Money.of(30_000, CNY), null,
                        Money.of(100, CNY), Money.of(900, CNY)), AT),
                new CampaignPacketIssued(CAMPAIGN, MERCHANT, PACKET, ALICE, Money.of(500, CNY), Money.of(99_500, CNY),
                        LocalDate.parse("2026-02-16"), AT),
                new CampaignPacketReturned(CAMPAIGN, MERCHANT, PACKET, Money.of(500, CNY), false, AT),
                new CampaignEnded(CAMPAIGN, MERCHANT, Money.of(99_500, CNY), AT),
                new MerchantRefundedPayment(MERCHANT, REFUND, "R-1", PAYMENT, WALLET, ALICE, Money.of(3_333, CNY),
                        Money.of(19, CNY), Money.of(3_333, CNY), 1, AT),
                new MerchantNegativeLimitSet(MERCHANT, Money.of(50_000, CNY), AT),
                new WalletCreditedWithRefund(WALLET, REFUND, PAYMENT, Money.of(3_333, CNY), Money.of(8_333, CNY), AT)));
        samples.addAll(planSamples());
        samples.add(new MerchantDaySettled(MERCHANT, LocalDate.parse("2026-02-16"), Money.of(11_922, CNY),
                Money.of(25_000, CNY), Money.of(-2_982, CNY), Money.of(8_940, CNY), Money.zero(CNY), false, AT));
        samples.add(new MerchantPayoutsHeld(MERCHANT, false, Money.of(994, CNY), Money.zero(CNY), AT));
        return samples;
    }

    /** A pay-in-4 plan of 100.00 checked out at {@code AT}: instalments of 25.00 due on 16 Feb, 2, 16 and 30 Mar. */
    private static List<Object> planSamples() {
        InstalmentSchedule schedule = InstalmentSchedule.of(PlanType.PAY_IN_4, Money.of(10_000, CNY), 0, AT,
                InstalmentSchedule.DEFAULT_ZONE);
        PlanTerms terms = new PlanTerms(Money.of(500, CNY), 3, 2_500, 60, InstalmentSchedule.DEFAULT_ZONE);
        Money zero = Money.zero(CNY);
        Money quarter = Money.of(2_500, CNY);
        LocalDate second = LocalDate.parse("2026-03-02");
        InstalmentBalance first = new InstalmentBalance(1, LocalDate.parse("2026-02-16"), quarter, zero, zero, zero,
                zero, false);
        InstalmentBalance overdue = new InstalmentBalance(2, second, quarter, zero, zero, zero, zero, true);
        InstalmentBalance withFee = new InstalmentBalance(2, second, quarter, Money.of(500, CNY), zero, zero, zero, true);
        Instant next = Instant.parse("2026-03-02T16:00:00Z");
        return List.of(
                new PlanCheckedOut(WALLET, PAYMENT, ALICE, MERCHANT, "T-1001", schedule, terms, Money.of(500_000, CNY),
                        Money.of(7_500, CNY), PlanStatus.CURRENT, Money.of(10_000, CNY), List.of(first), AT, AT),
                new InstalmentsPaid(WALLET, PAYMENT, RepaymentSource.CHECKOUT, quarter, Money.of(2_500, CNY),
                        PlanStatus.CURRENT, Money.of(7_500, CNY),
                        List.of(new InstalmentBalance(1, first.dueDate(), quarter, zero, quarter, zero, zero, false)),
                        Instant.parse("2026-03-01T16:00:00Z"), AT),
                new InstalmentCollectionFailed(WALLET, PAYMENT, 2, quarter, Money.of(100, CNY), PlanStatus.CURRENT,
                        Money.of(7_500, CNY), List.of(), next, AT),
                new InstalmentsOverdue(WALLET, PAYMENT, PlanStatus.OVERDUE, Money.of(7_500, CNY), List.of(overdue), next,
                        AT),
                new LateFeeCharged(WALLET, PAYMENT, 2, Money.of(500, CNY), Money.of(500, CNY), PlanStatus.OVERDUE,
                        Money.of(8_000, CNY), List.of(withFee), next, AT),
                new PlanRefundApplied(WALLET, PAYMENT, REFUND, Money.of(3_000, CNY), Money.of(2_500, CNY), zero, zero,
                        Money.of(500, CNY), Money.of(3_000, CNY), PlanStatus.OVERDUE, Money.of(5_500, CNY),
                        List.of(new InstalmentBalance(4, LocalDate.parse("2026-03-30"), quarter, zero, zero, quarter, zero,
                                false)), next, AT),
                new PlanDefaulted(WALLET, PAYMENT, Money.of(5_500, CNY), PlanStatus.DEFAULTED, zero, List.of(
                        new InstalmentBalance(2, second, quarter, Money.of(500, CNY), zero, zero, Money.of(3_000, CNY),
                                true)), null, AT),
                new CreditLineSet(WALLET, ALICE, Money.of(200_000, CNY), true, AT));
    }

    /** The concrete event types of a sealed event interface, through nested sealed interfaces. */
    private static Stream<Class<?>> concrete(Class<?> type) {
        return type.isSealed() ? Arrays.stream(type.getPermittedSubclasses()).flatMap(EventSchemaApprovalTest::concrete)
                : Stream.of(type);
    }

    @Test
    void every_event_type_has_a_sample() {
        Set<Class<?>> sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> eventTypes = Stream.of(WalletEvent.class, PaymentEvent.class, RedPacketEvent.class,
                        CampaignEvent.class, RefundEvent.class, PlanEvent.class, SettlementEvent.class)
                .flatMap(EventSchemaApprovalTest::concrete).collect(Collectors.toSet());
        assertThat(sampled).containsAll(eventTypes);
    }

    @TestFactory
    Stream<DynamicTest> every_event_serialises_to_its_approved_json_and_reads_back_equal() {
        return samples().stream().map(event -> DynamicTest.dynamicTest(event.getClass().getSimpleName(), () -> {
            SerializedObject<String> serialized = serializer.serialize(event, String.class);
            String json = serialized.getData();
            String name = event.getClass().getSimpleName() + ".json";
            Path approved = APPROVED.resolve(name);
            if (!Files.exists(approved) || !Files.readString(approved, StandardCharsets.UTF_8).strip().equals(json)) {
                write(RECEIVED.resolve(name), json);
            }
            assertThat(approved).as("approved schema of %s (received JSON in %s)", name, RECEIVED).exists();
            assertThat(json).isEqualTo(Files.readString(approved, StandardCharsets.UTF_8).strip());
            Object readBack = serializer.deserialize(serialized);
            assertThat(readBack).isEqualTo(event);
        }));
    }

    /**
     * A field added as nullable needs no revision: Jackson reads its absence as null. The JSON of
     * such an event as stored before the field existed is kept here and must still read back.
     */
    @Test
    void a_red_packet_sent_before_seeds_were_sealed_reads_back_with_its_plain_seed() throws IOException {
        String stored = Files.readString(APPROVED.resolve("legacy/RedPacketSent-plain-seed.json"), StandardCharsets.UTF_8)
                .strip();
        RedPacketSent event = serializer.deserialize(new SimpleSerializedObject<>(stored, String.class,
                RedPacketSent.class.getName(), null));

        assertThat(event.seed()).isEqualTo(SEED);
        assertThat(event.sealedSeed()).isNull();
        assertThat(event.seedCommitment()).isEqualTo(LuckySplit.commitment(SEED));
    }

    private static void write(Path file, String json) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, json + "\n", StandardCharsets.UTF_8);
    }
}
