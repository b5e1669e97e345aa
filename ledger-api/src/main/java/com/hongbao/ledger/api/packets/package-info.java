/** Red packets on the hot path: grabs batched per packet (group commit) and the expiry sweep. */
package com.hongbao.ledger.api.packets;
