package com.hongbao.ledger.core.wallet;

import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;

/** The wallet's balances right after a command: what the caller sees without waiting for projections. */
public record WalletReceipt(WalletId walletId, UserId owner, Money available, Money held) {
}
