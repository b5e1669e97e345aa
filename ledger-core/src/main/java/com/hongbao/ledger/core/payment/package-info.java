/**
 * Payments from a wallet to a merchant: immediate capture, or the two-phase form (authorise,
 * then capture all or part, void, or expire), with the platform fee computed at capture.
 */
package com.hongbao.ledger.core.payment;
