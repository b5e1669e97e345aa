/**
 * Refunds: a merchant returns all or part of a captured payment, decided by the merchant's
 * aggregate (its balance, the payment's refundable rest, at most 50 refunds, within 365 days);
 * the money travels back to the payer's wallet through refund clearing.
 */
package com.hongbao.ledger.core.refund;
