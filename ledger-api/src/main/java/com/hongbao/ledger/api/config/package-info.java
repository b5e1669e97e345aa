/** Wiring: database (embedded or external), Axon on JDBC, JSON rules, read models and services. */
package com.hongbao.ledger.api.config;
