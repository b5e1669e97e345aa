/**
 * Buy now, pay later: the pure policy that turns an order, a plan and its fee into a schedule of
 * instalments that sum to the order plus the fee exactly, each due on a calendar day in the
 * platform's time zone.
 */
package com.hongbao.ledger.core.bnpl;
