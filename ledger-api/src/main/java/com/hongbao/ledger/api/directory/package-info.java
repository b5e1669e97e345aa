/** Creation facts of aggregates, read from the event store for authorisation and terms. */
package com.hongbao.ledger.api.directory;
