package com.hongbao.ledger.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hongbao.ledger.scripts.ClientLedger.ObservedGrab;
import com.hongbao.ledger.scripts.ClientLedger.ObservedRefund;
import com.hongbao.ledger.scripts.ClientLedger.Posting;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fault harness's own books and its checks: what acknowledged operations do to a wallet and a
 * merchant in fen, and that a missing, doubled, altered or unacknowledged posting, refund or
 * share, or a balance a fen off, is found and named.
 */
class ClientLedgerTest {

    private ClientLedger books;

    @BeforeEach
    void bookADay() {
        books = new ClientLedger();
        books.openWallet("alice");
        books.openWallet("bob");
        books.onboard("m_tea");
        books.topUp("alice", "bank-1", 100_000);
        books.payment("alice", "m_tea", "p_1", 1_234, true);
        books.payment("alice", "m_tea", "p_2", 500, false);
        books.capture("p_2");
        books.payment("alice", "m_tea", "p_3", 700, false);
        books.refund("p_1", "rf_1", 200);
        books.packet("alice", "rp_1", 300);
        books.grab("bob", "rp_1", 96);
        books.withdrawal("alice", 100);
        books.withdrawal("alice", 100);
    }

    /** Alice's history as the ledger shows it when everything went right, newest first. */
    private static List<Posting> aliceHistory() {
        return new ArrayList<>(List.of(
                new Posting("withdrawal", null, -100),
                new Posting("withdrawal", null, -100),
                new Posting("red_packet_send", "rp_1", -300),
                new Posting("refund_credit", "rf_1", 200),
                new Posting("payment_authorisation", "p_3", -700),
                new Posting("payment_authorisation", "p_2", -500),
                new Posting("payment_debit", "p_1", -1_234),
                new Posting("top_up", "bank-1", 100_000)));
    }

    @Test
    void booksTheWalletsAndTheMerchantToTheFen() {
        // 1,000.00 - 12.34 - 5.00 - 7.00 + 2.00 - 3.00 - 1.00 - 1.00 = 972.66, 7.00 of it held.
        assertThat(books.available("alice")).isEqualTo(97_266);
        assertThat(books.held("alice")).isEqualTo(700);
        assertThat(books.available("bob")).isEqualTo(96);
        // Captured 12.34 + 5.00, refunded 2.00; the authorisation p_3 is not the merchant's yet.
        assertThat(books.merchantBalance("m_tea")).isEqualTo(1_534);
        assertThat(books.capturable("alice")).extracting(p -> p.paymentId).containsExactly("p_3");
        assertThat(books.refundable("alice")).extracting(p -> p.paymentId).containsExactly("p_1", "p_2");
    }

    @Test
    void aCaptureTwiceInTheBooksIsTheHarnessesOwnBug() {
        assertThatThrownBy(() -> books.capture("p_2")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLedgerThatShowsWhatWasAcknowledgedIsClean() {
        assertThat(books.checkWallet("alice", aliceHistory(), 97_266, 700).clean()).isTrue();
        assertThat(books.checkWallet("bob", List.of(new Posting("red_packet_claim", "rp_1", 96)), 96, 0).clean())
                .isTrue();
        assertThat(books.checkMerchant("m_tea", 1_534).clean()).isTrue();
    }

    @Test
    void aMissingPostingIsLost() {
        List<Posting> history = aliceHistory();
        history.removeIf(p -> p.reference() != null && p.reference().equals("rf_1"));
        ClientLedger.Findings findings = books.checkWallet("alice", history, 97_066, 700);
        assertThat(findings.lost()).isEqualTo(1);
        assertThat(findings.balanceMismatches()).isEqualTo(1);
        assertThat(findings.details()).anyMatch(d -> d.startsWith("lost: alice refund_credit rf_1 2.00"));
    }

    @Test
    void aPostingWithAnotherAmountIsLost() {
        List<Posting> history = aliceHistory();
        history.set(6, new Posting("payment_debit", "p_1", -1_233));
        ClientLedger.Findings findings = books.checkWallet("alice", history, 97_267, 700);
        assertThat(findings.lost()).isEqualTo(1);
        assertThat(findings.details()).anyMatch(d -> d.contains("shows -12.33 instead of -12.34"));
    }

    @Test
    void aPostingTwiceIsDuplicated() {
        List<Posting> history = aliceHistory();
        history.add(new Posting("payment_debit", "p_1", -1_234));
        ClientLedger.Findings findings = books.checkWallet("alice", history, 96_032, 700);
        assertThat(findings.duplicated()).isEqualTo(1);
        assertThat(findings.lost()).isZero();
        assertThat(findings.balanceMismatches()).isEqualTo(1);
    }

    @Test
    void withdrawalsAreMatchedByAmountBothWays() {
        List<Posting> extra = aliceHistory();
        extra.add(new Posting("withdrawal", null, -100));
        assertThat(books.checkWallet("alice", extra, 97_166, 700).duplicated()).isEqualTo(1);
        List<Posting> missing = aliceHistory();
        missing.removeFirst();
        assertThat(books.checkWallet("alice", missing, 97_366, 700).lost()).isEqualTo(1);
        List<Posting> other = aliceHistory();
        other.set(0, new Posting("withdrawal", null, -101));
        ClientLedger.Findings findings = books.checkWallet("alice", other, 97_265, 700);
        assertThat(findings.lost()).isEqualTo(1);
        assertThat(findings.duplicated()).isEqualTo(1);
    }

    @Test
    void moneyMovedThatNothingAcknowledgedIsAPhantom() {
        List<Posting> history = aliceHistory();
        history.add(new Posting("payment_debit", "p_never", -999));
        ClientLedger.Findings findings = books.checkWallet("alice", history, 96_267, 700);
        assertThat(findings.phantom()).isEqualTo(1);
        assertThat(findings.clean()).isFalse();
    }

    @Test
    void aBalanceOneFenOffIsAMismatchEvenWithEveryPostingRight() {
        assertThat(books.checkWallet("alice", aliceHistory(), 97_265, 700).balanceMismatches()).isEqualTo(1);
        assertThat(books.checkWallet("alice", aliceHistory(), 97_266, 699).balanceMismatches()).isEqualTo(1);
        assertThat(books.checkMerchant("m_tea", 1_535).balanceMismatches()).isEqualTo(1);
    }

    @Test
    void paymentsRefundsAndPacketsAreCheckedAgainstTheirPages() {
        assertThat(books.checkPayment("p_1", true, 1_234, true).clean()).isTrue();
        assertThat(books.checkPayment("p_3", true, 700, false).clean()).isTrue();
        assertThat(books.checkPayment("p_1", false, 0, false).lost()).isEqualTo(1);
        assertThat(books.checkPayment("p_3", true, 700, true).lost()).isEqualTo(1);

        assertThat(books.checkRefunds("p_1", List.of(new ObservedRefund("rf_1", 200))).clean()).isTrue();
        assertThat(books.checkRefunds("p_1", List.of()).lost()).isEqualTo(1);
        assertThat(books.checkRefunds("p_1", List.of(new ObservedRefund("rf_1", 200), new ObservedRefund("rf_1", 200)))
                .duplicated()).isEqualTo(1);
        assertThat(books.checkRefunds("p_2", List.of(new ObservedRefund("rf_9", 50))).phantom()).isEqualTo(1);

        assertThat(books.checkPacket("rp_1", true, 300, List.of(new ObservedGrab("bob", 96))).clean()).isTrue();
        assertThat(books.checkPacket("rp_1", false, 0, List.of()).lost()).isEqualTo(1);
        assertThat(books.checkPacket("rp_1", true, 301, List.of(new ObservedGrab("bob", 96))).lost()).isEqualTo(1);
        assertThat(books.checkPacket("rp_1", true, 300, List.of()).lost()).isEqualTo(1);
        assertThat(books.checkPacket("rp_1", true, 300, List.of(new ObservedGrab("bob", 96), new ObservedGrab("bob", 96)))
                .duplicated()).isEqualTo(1);
        assertThat(books.checkPacket("rp_1", true, 300, List.of(new ObservedGrab("bob", 96), new ObservedGrab("carol", 4)))
                .phantom()).isEqualTo(1);
    }

    @Test
    void findingsAddUp() {
        ClientLedger.Findings a = books.checkMerchant("m_tea", 1);
        ClientLedger.Findings b = books.checkPayment("p_1", false, 0, false);
        ClientLedger.Findings sum = a.plus(b);
        assertThat(sum.balanceMismatches()).isEqualTo(1);
        assertThat(sum.lost()).isEqualTo(1);
        assertThat(sum.details()).hasSize(2);
    }

    @Test
    void amountsAreExactDecimalsOfFen() {
        assertThat(ClientLedger.minor("-12.34")).isEqualTo(-1_234);
        assertThat(ClientLedger.minor("0.01")).isEqualTo(1);
        assertThat(ClientLedger.minor("1000000.00")).isEqualTo(100_000_000);
        assertThatThrownBy(() -> ClientLedger.minor("0.001")).isInstanceOf(ArithmeticException.class);
        assertThat(ClientLedger.decimal(1_234)).isEqualTo("12.34");
        assertThat(ClientLedger.decimal(5)).isEqualTo("0.05");
    }

    @Test
    void percentilesAreNearestRank() {
        List<Long> values = new ArrayList<>();
        for (long i = 100; i >= 1; i--) {
            values.add(i);
        }
        assertThat(ClientLedger.percentile(values, 50)).isEqualTo(50);
        assertThat(ClientLedger.percentile(values, 99)).isEqualTo(99);
        assertThat(ClientLedger.percentile(values, 100)).isEqualTo(100);
        assertThat(ClientLedger.percentile(new ArrayList<>(List.of(7L)), 99)).isEqualTo(7);
        assertThat(ClientLedger.percentile(new ArrayList<>(), 50)).isEqualTo(-1);
    }
}
