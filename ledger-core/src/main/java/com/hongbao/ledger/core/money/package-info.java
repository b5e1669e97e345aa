/** The {@link com.hongbao.ledger.core.money.Money} value type and the strict parsing of client amounts. */
package com.hongbao.ledger.core.money;
