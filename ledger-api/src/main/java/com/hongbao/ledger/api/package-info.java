/** The Spring Boot application: REST API, security, Axon and database configuration. */
package com.hongbao.ledger.api;
