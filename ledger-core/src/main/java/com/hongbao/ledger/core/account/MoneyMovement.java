package com.hongbao.ledger.core.account;

import java.time.Instant;
import java.util.List;

/**
 * An event that moves money. Its postings are derived from the event alone, so replaying the
 * event store yields exactly the same journal; {@link JournalEntries#requireBalanced} holds for
 * every implementation (a property test checks it).
 */
public interface MoneyMovement {

    MovementType movementType();

    /** The postings of this movement; they sum to zero per currency. May be empty. */
    List<Posting> postings();

    /** The business reference shown in histories: a payment id, a bank reference, a withdrawal id. */
    String reference();

    /** When the movement happened (business time), as opposed to when its event was stored. */
    Instant occurredAt();
}
