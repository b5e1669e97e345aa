package com.hongbao.ledger.scripts;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fault harness's own books: what the ledger acknowledged, kept by the client in fen, and the
 * checks of what the ledger shows against them. Nothing here talks to the ledger, so every rule is
 * tested on its own ({@code ClientLedgerTest}).
 *
 * <p>Only acknowledged operations are booked. Each wallet's expected postings are the ones the
 * ledger's wallet history must show: {@code top_up} (reference: the bank reference),
 * {@code payment_debit} or {@code payment_authorisation} (the payment id), {@code refund_credit}
 * (the refund id), {@code red_packet_send} and {@code red_packet_claim} (the packet id) and
 * {@code withdrawal} (a withdrawal id the API does not return, so withdrawals are matched by
 * amount). Merchants are onboarded with a fee of 0, so a merchant's settlement balance is what
 * was captured less what was refunded.
 *
 * <p>All methods are synchronized: the load's workers book from several threads.
 */
final class ClientLedger {

    static final String TOP_UP = "top_up";
    static final String PAYMENT_DEBIT = "payment_debit";
    static final String PAYMENT_AUTHORISATION = "payment_authorisation";
    static final String REFUND_CREDIT = "refund_credit";
    static final String RED_PACKET_SEND = "red_packet_send";
    static final String RED_PACKET_CLAIM = "red_packet_claim";
    static final String WITHDRAWAL = "withdrawal";

    /** A posting on a wallet: movement type, reference (null for withdrawals) and signed amount in fen. */
    record Posting(String movementType, String reference, long minor) {
    }

    /** A refund as the ledger lists it for its payment. */
    record ObservedRefund(String refundId, long minor) {
    }

    /** A share of a packet as the packet's page lists it. */
    record ObservedGrab(String userId, long minor) {
    }

    /** What a check found: counts by kind and a line per finding, for the report's details. */
    record Findings(int lost, int duplicated, int phantom, int balanceMismatches, List<String> details) {

        static Findings none() {
            return new Findings(0, 0, 0, 0, List.of());
        }

        Findings plus(Findings other) {
            List<String> all = new ArrayList<>(details);
            all.addAll(other.details);
            return new Findings(lost + other.lost, duplicated + other.duplicated, phantom + other.phantom,
                    balanceMismatches + other.balanceMismatches, all);
        }

        boolean clean() {
            return lost == 0 && duplicated == 0 && phantom == 0 && balanceMismatches == 0;
        }
    }

    /** A payment the ledger acknowledged. */
    static final class Payment {
        final String paymentId;
        final String user;
        final String merchant;
        final long minor;
        boolean captured;
        long refundedMinor;
        int refunds;

        Payment(String paymentId, String user, String merchant, long minor, boolean captured) {
            this.paymentId = paymentId;
            this.user = user;
            this.merchant = merchant;
            this.minor = minor;
            this.captured = captured;
        }
    }

    private final Map<String, Long> available = new HashMap<>();
    private final Map<String, Long> held = new HashMap<>();
    private final Map<String, Long> merchants = new HashMap<>();
    private final Map<String, List<Posting>> postings = new HashMap<>();
    private final Map<String, Payment> payments = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> refundsByPayment = new HashMap<>();
    private final Map<String, Long> packets = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> grabsByPacket = new HashMap<>();

    /** Reads a decimal amount such as {@code "-12.34"} as fen; fails on a third decimal. */
    static long minor(String amount) {
        return new BigDecimal(amount).movePointRight(2).longValueExact();
    }

    /** Writes fen as the API's decimal text, e.g. {@code 1234} as {@code "12.34"}. */
    static String decimal(long minor) {
        return BigDecimal.valueOf(minor, 2).toPlainString();
    }

    synchronized void openWallet(String user) {
        available.putIfAbsent(user, 0L);
        held.putIfAbsent(user, 0L);
        postings.putIfAbsent(user, new ArrayList<>());
    }

    synchronized void onboard(String merchant) {
        merchants.putIfAbsent(merchant, 0L);
    }

    synchronized void topUp(String user, String bankReference, long minor) {
        available.merge(user, minor, Long::sum);
        post(user, TOP_UP, bankReference, minor);
    }

    /** A payment, captured at once or only authorised (its amount then held on the wallet). */
    synchronized void payment(String user, String merchant, String paymentId, long minor, boolean captured) {
        available.merge(user, -minor, Long::sum);
        if (captured) {
            merchants.merge(merchant, minor, Long::sum);
        } else {
            held.merge(user, minor, Long::sum);
        }
        post(user, captured ? PAYMENT_DEBIT : PAYMENT_AUTHORISATION, paymentId, -minor);
        payments.put(paymentId, new Payment(paymentId, user, merchant, minor, captured));
    }

    /** The capture of the whole of an authorised payment. */
    synchronized void capture(String paymentId) {
        Payment payment = payments.get(paymentId);
        if (payment.captured) {
            throw new IllegalStateException("captured twice in the client's books: " + paymentId);
        }
        payment.captured = true;
        held.merge(payment.user, -payment.minor, Long::sum);
        merchants.merge(payment.merchant, payment.minor, Long::sum);
    }

    synchronized void refund(String paymentId, String refundId, long minor) {
        Payment payment = payments.get(paymentId);
        payment.refundedMinor += minor;
        payment.refunds++;
        merchants.merge(payment.merchant, -minor, Long::sum);
        available.merge(payment.user, minor, Long::sum);
        post(payment.user, REFUND_CREDIT, refundId, minor);
        refundsByPayment.computeIfAbsent(paymentId, id -> new LinkedHashMap<>()).put(refundId, minor);
    }

    synchronized void packet(String sender, String packetId, long totalMinor) {
        available.merge(sender, -totalMinor, Long::sum);
        post(sender, RED_PACKET_SEND, packetId, -totalMinor);
        packets.put(packetId, totalMinor);
        grabsByPacket.put(packetId, new LinkedHashMap<>());
    }

    synchronized void grab(String user, String packetId, long minor) {
        available.merge(user, minor, Long::sum);
        post(user, RED_PACKET_CLAIM, packetId, minor);
        grabsByPacket.get(packetId).put(user, minor);
    }

    synchronized void withdrawal(String user, long minor) {
        available.merge(user, -minor, Long::sum);
        post(user, WITHDRAWAL, null, -minor);
    }

    synchronized long available(String user) {
        return available.getOrDefault(user, 0L);
    }

    synchronized long held(String user) {
        return held.getOrDefault(user, 0L);
    }

    synchronized long merchantBalance(String merchant) {
        return merchants.getOrDefault(merchant, 0L);
    }

    synchronized List<String> users() {
        return new ArrayList<>(postings.keySet());
    }

    synchronized List<String> merchants() {
        return new ArrayList<>(merchants.keySet());
    }

    synchronized List<Payment> payments() {
        return new ArrayList<>(payments.values());
    }

    synchronized List<String> packets() {
        return new ArrayList<>(packets.keySet());
    }

    /** The user's captured payments that can still be refunded (at most two refunds each). */
    synchronized List<Payment> refundable(String user) {
        return payments.values().stream()
                .filter(p -> p.user.equals(user) && p.captured && p.refunds < 2 && p.refundedMinor < p.minor)
                .toList();
    }

    /** The user's payments still waiting for their capture. */
    synchronized List<Payment> capturable(String user) {
        return payments.values().stream().filter(p -> p.user.equals(user) && !p.captured).toList();
    }

    private void post(String user, String movementType, String reference, long minor) {
        postings.computeIfAbsent(user, u -> new ArrayList<>()).add(new Posting(movementType, reference, minor));
    }

    /**
     * The wallet's history and balances against the books. An expected posting that is missing,
     * or present with another amount, is lost; one present twice is duplicated; a posting of a
     * driven kind that nothing acknowledged (a rejected or never-sent operation that moved money)
     * is a phantom. Withdrawals, which carry no reference the client knows, are matched by amount.
     */
    synchronized Findings checkWallet(String user, List<Posting> observed, long observedAvailable, long observedHeld) {
        List<String> details = new ArrayList<>();
        int lost = 0;
        int duplicated = 0;
        int phantom = 0;
        int mismatches = 0;
        Map<String, List<Posting>> seen = new HashMap<>();
        List<Long> seenWithdrawals = new ArrayList<>();
        for (Posting posting : observed) {
            if (WITHDRAWAL.equals(posting.movementType())) {
                seenWithdrawals.add(posting.minor());
            } else {
                seen.computeIfAbsent(posting.movementType() + " " + posting.reference(), k -> new ArrayList<>()).add(posting);
            }
        }
        List<Long> expectedWithdrawals = new ArrayList<>();
        Map<String, Posting> expected = new LinkedHashMap<>();
        for (Posting posting : postings.getOrDefault(user, List.of())) {
            if (WITHDRAWAL.equals(posting.movementType())) {
                expectedWithdrawals.add(posting.minor());
            } else {
                expected.put(posting.movementType() + " " + posting.reference(), posting);
            }
        }
        for (Map.Entry<String, Posting> entry : expected.entrySet()) {
            List<Posting> found = seen.getOrDefault(entry.getKey(), List.of());
            if (found.isEmpty()) {
                lost++;
                details.add("lost: " + user + " " + entry.getKey() + " " + decimal(entry.getValue().minor()));
            } else {
                if (found.getFirst().minor() != entry.getValue().minor()) {
                    lost++;
                    details.add("lost: " + user + " " + entry.getKey() + " shows " + decimal(found.getFirst().minor())
                            + " instead of " + decimal(entry.getValue().minor()));
                }
                if (found.size() > 1) {
                    duplicated += found.size() - 1;
                    details.add("duplicated: " + user + " " + entry.getKey() + " posted " + found.size() + " times");
                }
            }
        }
        for (Map.Entry<String, List<Posting>> entry : seen.entrySet()) {
            if (!expected.containsKey(entry.getKey())) {
                phantom += entry.getValue().size();
                details.add("phantom: " + user + " " + entry.getKey() + " " + decimal(entry.getValue().getFirst().minor())
                        + " was never acknowledged");
            }
        }
        List<Long> unmatched = new ArrayList<>(seenWithdrawals);
        for (Long amount : expectedWithdrawals) {
            if (!unmatched.remove(amount)) {
                lost++;
                details.add("lost: " + user + " withdrawal " + decimal(amount));
            }
        }
        for (Long amount : unmatched) {
            duplicated++;
            details.add("duplicated: " + user + " withdrawal " + decimal(amount) + " beyond the acknowledged ones");
        }
        if (observedAvailable != available(user) || observedHeld != held(user)) {
            mismatches++;
            details.add("balance: " + user + " shows available " + decimal(observedAvailable) + " held "
                    + decimal(observedHeld) + ", the client's books " + decimal(available(user)) + " held "
                    + decimal(held(user)));
        }
        return new Findings(lost, duplicated, phantom, mismatches, details);
    }

    /** A merchant's settlement balance against the books. */
    synchronized Findings checkMerchant(String merchant, long observedBalance) {
        long expected = merchantBalance(merchant);
        if (observedBalance == expected) {
            return Findings.none();
        }
        return new Findings(0, 0, 0, 1, List.of("balance: merchant " + merchant + " shows " + decimal(observedBalance)
                + ", the client's books " + decimal(expected)));
    }

    /** A payment as {@code GET /v1/payments/{id}} shows it: found or not, its amount and whether it is captured. */
    synchronized Findings checkPayment(String paymentId, boolean found, long authorisedMinor, boolean captured) {
        Payment payment = payments.get(paymentId);
        if (!found) {
            return new Findings(1, 0, 0, 0, List.of("lost: payment " + paymentId + " not found"));
        }
        if (authorisedMinor != payment.minor || captured != payment.captured) {
            return new Findings(1, 0, 0, 0, List.of("lost: payment " + paymentId + " shows " + decimal(authorisedMinor)
                    + (captured ? " captured" : " authorised") + ", acknowledged " + decimal(payment.minor)
                    + (payment.captured ? " captured" : " authorised")));
        }
        return Findings.none();
    }

    /** A payment's refunds as the ledger lists them: every acknowledged one once with its amount, nothing else. */
    synchronized Findings checkRefunds(String paymentId, List<ObservedRefund> observed) {
        Map<String, Long> expected = refundsByPayment.getOrDefault(paymentId, Map.of());
        List<String> details = new ArrayList<>();
        int lost = 0;
        int duplicated = 0;
        int phantom = 0;
        Map<String, Integer> counts = new HashMap<>();
        for (ObservedRefund refund : observed) {
            counts.merge(refund.refundId(), 1, Integer::sum);
            Long amount = expected.get(refund.refundId());
            if (amount == null) {
                phantom++;
                details.add("phantom: refund " + refund.refundId() + " of " + paymentId + " was never acknowledged");
            } else if (amount != refund.minor()) {
                lost++;
                details.add("lost: refund " + refund.refundId() + " shows " + decimal(refund.minor()) + " instead of "
                        + decimal(amount));
            }
        }
        for (Map.Entry<String, Long> entry : expected.entrySet()) {
            int count = counts.getOrDefault(entry.getKey(), 0);
            if (count == 0) {
                lost++;
                details.add("lost: refund " + entry.getKey() + " of " + paymentId + " not listed");
            } else if (count > 1) {
                duplicated += count - 1;
                details.add("duplicated: refund " + entry.getKey() + " listed " + count + " times");
            }
        }
        return new Findings(lost, duplicated, phantom, 0, details);
    }

    /** A packet's page: found, its total, and each acknowledged grab once with its amount. */
    synchronized Findings checkPacket(String packetId, boolean found, long totalMinor, List<ObservedGrab> grabs) {
        if (!found) {
            return new Findings(1, 0, 0, 0, List.of("lost: packet " + packetId + " not found"));
        }
        List<String> details = new ArrayList<>();
        int lost = 0;
        int duplicated = 0;
        int phantom = 0;
        if (totalMinor != packets.get(packetId)) {
            lost++;
            details.add("lost: packet " + packetId + " shows total " + decimal(totalMinor) + " instead of "
                    + decimal(packets.get(packetId)));
        }
        Map<String, Long> expected = grabsByPacket.getOrDefault(packetId, Map.of());
        Map<String, Integer> counts = new HashMap<>();
        for (ObservedGrab grab : grabs) {
            counts.merge(grab.userId(), 1, Integer::sum);
            Long amount = expected.get(grab.userId());
            if (amount == null) {
                phantom++;
                details.add("phantom: " + grab.userId() + " holds a share of " + packetId + " never acknowledged");
            } else if (amount != grab.minor()) {
                lost++;
                details.add("lost: " + grab.userId() + "'s share of " + packetId + " shows " + decimal(grab.minor())
                        + " instead of " + decimal(amount));
            }
        }
        for (Map.Entry<String, Long> entry : expected.entrySet()) {
            int count = counts.getOrDefault(entry.getKey(), 0);
            if (count == 0) {
                lost++;
                details.add("lost: " + entry.getKey() + "'s share of " + packetId + " not listed");
            } else if (count > 1) {
                duplicated += count - 1;
                details.add("duplicated: " + entry.getKey() + " holds " + count + " shares of " + packetId);
            }
        }
        return new Findings(lost, duplicated, phantom, 0, details);
    }

    /** The nearest-rank percentile of values (sorted in place), or -1 when there are none. */
    static long percentile(List<Long> values, double percent) {
        if (values.isEmpty()) {
            return -1;
        }
        values.sort(null);
        int rank = (int) Math.ceil(percent / 100.0 * values.size());
        return values.get(Math.max(0, Math.min(values.size() - 1, rank - 1)));
    }

    @Override
    public synchronized String toString() {
        return "ClientLedger[" + postings.size() + " wallets, " + merchants.size() + " merchants, " + payments.size()
                + " payments, " + packets.size() + " packets]";
    }
}
