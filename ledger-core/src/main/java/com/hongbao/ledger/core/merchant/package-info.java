/** Merchants and their terms (fee rate, settlement currency). */
package com.hongbao.ledger.core.merchant;
