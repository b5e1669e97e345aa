/**
 * Red packets: how a lucky packet's total is divided into shares, by a pure, seeded policy that
 * anyone holding the revealed seed can recompute.
 */
package com.hongbao.ledger.core.packet;
