/**
 * Brand campaigns: a merchant sets a budget aside from its settlement balance and issues red
 * packets from it to users, within dates, per-user caps and a daily cap; what is left returns to
 * the merchant when the campaign ends.
 */
package com.hongbao.ledger.core.campaign;
