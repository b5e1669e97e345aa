package com.hongbao.ledger.core.wallet;

import com.hongbao.ledger.core.LedgerRejection;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;

/** Why a wallet refused a command. */
public final class WalletRejection {

    private WalletRejection() {
    }

    public static final class InsufficientFunds extends LedgerRejection {
        public InsufficientFunds(WalletId wallet, Money requested, Money available) {
            super("insufficient_funds", "wallet " + wallet + " has " + available + " available, " + requested + " requested");
        }
    }

    public static final class BalanceOverflow extends LedgerRejection {
        public BalanceOverflow(WalletId wallet) {
            super("balance_overflow", "the balance of wallet " + wallet + " would exceed the largest amount the ledger can hold");
        }
    }
}
