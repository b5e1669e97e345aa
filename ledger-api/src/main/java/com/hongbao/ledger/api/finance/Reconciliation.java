package com.hongbao.ledger.api.finance;

import com.hongbao.ledger.core.id.WalletId;
import com.hongbao.ledger.core.wallet.WalletCommand.InspectWallet;
import com.hongbao.ledger.core.wallet.WalletReceipt;
import com.hongbao.ledger.projections.ledger.ReconciliationQueries;
import com.hongbao.ledger.projections.ledger.ReconciliationQueries.Checked;
import com.hongbao.ledger.projections.ledger.ReconciliationQueries.Difference;
import com.hongbao.ledger.projections.ledger.ReconciliationQueries.WalletRef;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.commandhandling.gateway.CommandGateway;

/**
 * Checks that everything derived from the journal agrees with it, and that the journal agrees
 * with the wallets themselves: account balances and posting counts, each instalment plan's
 * outstanding amount, and each wallet's balance as its aggregate knows it.
 *
 * <p>A wallet's journal account holds exactly its <em>available</em> balance: an authorised
 * payment's hold moves the money to {@code payment_clearing} (and the release moves it back), so
 * the aggregate's held money is not on the wallet's account. The wallet check therefore compares
 * the journal with the aggregate's available balance; held money is reconciled through
 * {@code payment_clearing} like every other account.
 *
 * <p>The journal is a read model that follows the aggregates a moment later, so a wallet that
 * moves money while it is being compared can disagree for an instant. Such a wallet is compared
 * once more after all others, and only a disagreement that persists is reported. Wallets are read
 * in batches ({@value #WALLET_BATCH} at a time: one journal query and that many read-only commands
 * in flight), so memory does not grow with the number of wallets.
 *
 * <p>Money on its way out of clearing or escrow (a refund to its payer, a grabbed share, an expired
 * packet's rest, a released hold) is in neither the wallet's journal account nor its aggregate until
 * it arrives, so the comparisons above agree while it waits. A separate check ({@code aged_clearing})
 * reports every such amount that has waited longer than the clearing-age threshold, so a credit that
 * stalls can never hide behind "balanced".
 */
public class Reconciliation {

    /** A check's name in a difference: the wallet aggregate's available balance against its journal account. */
    public static final String WALLET_AGGREGATE = "wallet_aggregate";
    static final int WALLET_BATCH = 500;
    /** Differences listed per check; how many there were is always reported in full. */
    static final int DIFFERENCES_LISTED = 200;
    private static final long INSPECT_TIMEOUT_SECONDS = 30;

    /** How long money may sit in clearing or escrow, on its way to where it is owed, before it is reported. */
    public static final Duration DEFAULT_CLEARING_AGE_THRESHOLD = Duration.ofMinutes(5);

    private final ReconciliationQueries queries;
    private final CommandGateway commandGateway;
    private final Clock clock;
    private final Duration clearingAgeThreshold;

    public Reconciliation(ReconciliationQueries queries, CommandGateway commandGateway) {
        this(queries, commandGateway, Clock.systemUTC(), DEFAULT_CLEARING_AGE_THRESHOLD);
    }

    public Reconciliation(ReconciliationQueries queries, CommandGateway commandGateway, Clock clock,
                          Duration clearingAgeThreshold) {
        this.queries = queries;
        this.commandGateway = commandGateway;
        this.clock = clock;
        this.clearingAgeThreshold = clearingAgeThreshold;
    }

    /** Money due out of clearing or escrow longer ago than the threshold and still there. */
    public Checked agedClearing(int limit) {
        return queries.agedClearing(clock.instant().minus(clearingAgeThreshold), limit);
    }

    public Report run() {
        Checked accounts = queries.accounts(DIFFERENCES_LISTED);
        Checked plans = queries.plans(DIFFERENCES_LISTED);
        Checked statements = queries.statements(DIFFERENCES_LISTED);
        Checked settlements = queries.settlements(DIFFERENCES_LISTED);
        Checked wallets = wallets();
        Checked clearing = agedClearing(DIFFERENCES_LISTED);
        // Plans, statements and settlements are written by other processors than the journal, which
        // may be a moment apart: a check that disagreed is run once more after the wallets' pass, and
        // only what still disagrees is reported (as the wallets are re-checked).
        plans = plans.mismatched() == 0 ? plans : queries.plans(DIFFERENCES_LISTED);
        statements = statements.mismatched() == 0 ? statements : queries.statements(DIFFERENCES_LISTED);
        settlements = settlements.mismatched() == 0 ? settlements : queries.settlements(DIFFERENCES_LISTED);
        List<Difference> differences = new ArrayList<>(accounts.differences());
        differences.addAll(wallets.differences());
        differences.addAll(plans.differences());
        differences.addAll(statements.differences());
        differences.addAll(settlements.differences());
        differences.addAll(clearing.differences());
        long mismatched = accounts.mismatched() + wallets.mismatched() + plans.mismatched() + statements.mismatched()
                + settlements.mismatched() + clearing.mismatched();
        return new Report(accounts.checked(), wallets.checked(), plans.checked(), statements.checked(),
                settlements.checked(), clearing.checked(), mismatched, List.copyOf(differences), mismatched == 0);
    }

    private Checked wallets() {
        long checked = 0;
        List<WalletRef> suspects = new ArrayList<>();
        String after = "";
        while (true) {
            List<WalletRef> batch = queries.wallets(after, WALLET_BATCH);
            if (batch.isEmpty()) {
                break;
            }
            checked += batch.size();
            for (Difference difference : compare(batch)) {
                suspects.add(new WalletRef(difference.accountId().substring(difference.accountId().indexOf(':') + 1),
                        difference.currency()));
            }
            after = batch.getLast().walletId();
        }
        // Once more for the wallets that disagreed: a movement in flight has reached the journal by now.
        List<Difference> persisting = new ArrayList<>();
        for (int from = 0; from < suspects.size(); from += WALLET_BATCH) {
            persisting.addAll(compare(suspects.subList(from, Math.min(suspects.size(), from + WALLET_BATCH))));
        }
        return new Checked(checked, persisting.size(),
                List.copyOf(persisting.subList(0, Math.min(persisting.size(), DIFFERENCES_LISTED))));
    }

    /** The wallets of the batch whose journal balance is not the aggregate's available balance. */
    private List<Difference> compare(List<WalletRef> batch) {
        List<CompletableFuture<WalletReceipt>> receipts = new ArrayList<>(batch.size());
        for (WalletRef wallet : batch) {
            receipts.add(commandGateway.send(new InspectWallet(new WalletId(wallet.walletId()))));
        }
        Map<String, Long> journal = queries.walletBalances(batch);
        List<Difference> differences = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            WalletRef wallet = batch.get(i);
            long journalMinor = journal.getOrDefault(wallet.walletId(), 0L);
            Long available = available(receipts.get(i));
            if (available == null || available != journalMinor) {
                differences.add(new Difference(WALLET_AGGREGATE, ReconciliationQueries.accountOf(wallet.walletId()),
                        wallet.currency(), journalMinor, available));
            }
        }
        return differences;
    }

    /** The aggregate's available balance, or null if the wallet could not be read (reported as a difference). */
    private static Long available(CompletableFuture<WalletReceipt> receipt) {
        try {
            return receipt.get(INSPECT_TIMEOUT_SECONDS, TimeUnit.SECONDS).available().minor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reconciling wallets", e);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /**
     * @param differenceCount how many comparisons disagreed in all; {@code differences} lists the first
     *                        200 of each check
     * @param clearingItemsChecked refunds not yet credited, packets with money in escrow and settled holds
     *                             with a released part, looked at for money aged in clearing
     */
    public record Report(long accountsChecked, long walletsChecked, long plansChecked, long merchantStatementsChecked,
                         long settledMerchantsChecked, long clearingItemsChecked, long differenceCount,
                         List<Difference> differences, boolean balanced) {
    }
}
