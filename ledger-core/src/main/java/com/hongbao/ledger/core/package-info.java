/**
 * The domain of the payments and red-packet ledger: money, accounts, commands, events and the
 * aggregates that decide them. This module knows Axon's modelling annotations and nothing of
 * Spring, JDBC or HTTP; an ArchUnit test keeps it that way.
 */
package com.hongbao.ledger.core;
