/** Benchmark and demo entry points; run through {@code scripts/*.sh}. */
package com.hongbao.ledger.scripts;
