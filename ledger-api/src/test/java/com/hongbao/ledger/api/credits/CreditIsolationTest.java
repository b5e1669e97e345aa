package com.hongbao.ledger.api.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hongbao.ledger.api.support.ApiTest;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.id.RefundId;
import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.money.Money;
import com.hongbao.ledger.core.wallet.WalletCommand.ReceiveRefund;
import java.util.Currency;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What a failed credit does to the transaction of the processor that sent it. An event handler runs
 * in the processor's unit of work and Spring transaction; a command sent from the handler's thread
 * runs in a unit of work nested in it, on the same connection. A command refused in its handler does
 * not mark the processor's transaction rollback-only (Axon's {@code SpringTransactionManager} ends
 * only the transactions it began), but when the command is the first in the batch to use Axon's
 * unit-of-work-aware connection, the connection's rollback is registered with the command's nested
 * unit of work: its failure rolls back the connection itself, and with it everything the processor
 * wrote before (its token, a credit it parked), while the batch goes on and commits (the first
 * test). A credit sent through {@link IsolatedCreditDispatch} runs on a connection and in a
 * transaction of its own, whatever it fails on (the second test). How a stale wallet's collision
 * fails a nested credit's whole batch at commit is shown in {@link TwoNodeCreditsTest}.
 */
class CreditIsolationTest extends ApiTest {

    private static final String MARKER = "credit-isolation-test";

    @Autowired
    private CommandGateway commandGateway;

    @Autowired
    private TransactionManager transactionManager;

    @Autowired
    private IsolatedCreditDispatch credits;

    @AfterEach
    void removeMarkers() {
        jdbc.update("DELETE FROM token_entry WHERE processor_name LIKE ?", MARKER + "%");
    }

    @Test
    void a_command_failing_in_the_processors_thread_silently_undoes_the_processors_earlier_writes() {
        String marker = unique(MARKER);
        UnitOfWork<?> processor = DefaultUnitOfWork.startAndGet(null);
        processor.attachTransaction(transactionManager);
        writeMarker(marker);
        assertThat(markers(marker)).as("written in the processor's transaction").isEqualTo(1);

        assertThatThrownBy(() -> commandGateway.sendAndWait(refundToAWalletThatDoesNotExist())).isNotNull();

        assertThat(markers(marker)).as("gone already, inside the transaction that is still open").isZero();
        processor.commit();
        assertThat(markers(marker)).as("and the commit, which succeeds, cannot bring them back").isZero();
    }

    @Test
    void a_failed_isolated_credit_leaves_the_processors_transaction_to_commit() {
        String marker = unique(MARKER);
        UnitOfWork<?> processor = DefaultUnitOfWork.startAndGet(null);
        processor.attachTransaction(transactionManager);
        writeMarker(marker);

        assertThatThrownBy(() -> credits.send(refundToAWalletThatDoesNotExist())).isNotNull();
        processor.commit();

        assertThat(markers(marker)).as("the batch's own writes committed").isEqualTo(1);
    }

    private static ReceiveRefund refundToAWalletThatDoesNotExist() {
        return new ReceiveRefund(new WalletId(unique("w_missing")), new RefundId(unique("rf")),
                new PaymentId(unique("p")), Money.of(100, Currency.getInstance("CNY")), java.time.Instant.now());
    }

    /** A row written in the current transaction, as a processor writes its token. */
    private void writeMarker(String marker) {
        jdbc.update("INSERT INTO token_entry (processor_name, segment, owner) VALUES (?, 0, 'test')", marker);
    }

    private int markers(String marker) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM token_entry WHERE processor_name = ?",
                Integer.class, marker);
        return count == null ? 0 : count;
    }
}
