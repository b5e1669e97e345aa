package com.hongbao.ledger.api.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.hongbao.ledger.api.directory.AggregateFacts;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.payment.PaymentEvent.PaymentAuthorised;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * How a payment was authorised, for the requests that act on a payment by its id (refund,
 * capture, void, repayment of a plan): the one lookup by which someone else's payment and one
 * that does not exist are both refused, before any command.
 *
 * <p>{@link AggregateFacts} remembers payments it has read, but not ids it found absent, so an
 * unknown id cost a read of the event store that a known one did not: "does not exist" answered
 * measurably slower than "exists but is not yours". Absent payment ids are remembered here too
 * (at most 100,000, for 10 minutes), so both are answered from memory once seen. This is safe
 * for payments alone: their ids are random ({@link PaymentId#random()}) and made by the node that
 * creates the payment, which answers the id only once it is committed, so no client asks about a
 * payment id before it exists unless it guessed it.
 */
@Component
public class PaymentLookup {

    private final AggregateFacts facts;
    private final Cache<String, Boolean> absent = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    public PaymentLookup(AggregateFacts facts) {
        this.facts = facts;
    }

    public Optional<PaymentAuthorised> payment(PaymentId paymentId) {
        if (absent.getIfPresent(paymentId.value()) != null) {
            return Optional.empty();
        }
        Optional<PaymentAuthorised> authorised = facts.payment(paymentId);
        if (authorised.isEmpty()) {
            absent.put(paymentId.value(), Boolean.TRUE);
        }
        return authorised;
    }
}
