/**
 * Merchant settlement: each closed business day's net is paid out to the merchant's bank the next
 * day (T+1), exactly once per merchant and day, decided by the merchant's aggregate; a negative net
 * is carried forward, and finance can hold payouts.
 */
package com.hongbao.ledger.core.settlement;
