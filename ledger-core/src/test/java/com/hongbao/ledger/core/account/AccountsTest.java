package com.hongbao.ledger.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hongbao.ledger.core.bnpl.PlanEvent;
import com.hongbao.ledger.core.id.PaymentId;
import com.hongbao.ledger.core.money.Money;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccountsTest {

    static final AccountId WALLET = new AccountId(AccountType.WALLET, "w_1");
    static final AccountId CLEARING = AccountId.platform(AccountType.PAYMENT_CLEARING);

    @ParameterizedTest
    @EnumSource(AccountType.class)
    void an_account_id_reads_back_from_its_string_form(AccountType type) {
        AccountId id = new AccountId(type, "owner_1");
        assertThat(AccountId.parse(id.toString())).isEqualTo(id);
        assertThat(id.toString()).isEqualTo(type.code() + ":owner_1");
    }

    @Test
    void platform_accounts_are_owned_by_the_platform() {
        assertThat(CLEARING).hasToString("payment_clearing:platform");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wallet", ":w_1", "wallet:", "nope:w_1", "wallet:a:b", "wallet: "})
    void a_malformed_account_id_fails_loudly(String text) {
        assertThatThrownBy(() -> AccountId.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(MovementType.class)
    void a_movement_type_reads_back_from_its_code(MovementType type) {
        assertThat(MovementType.fromCode(type.code())).isEqualTo(type);
    }

    @Test
    void only_wallets_clearing_accounts_packet_escrows_and_campaign_budgets_may_never_go_negative() {
        assertThat(List.of(AccountType.values())).filteredOn(AccountType::noOverdraft)
                .containsExactlyInAnyOrder(AccountType.WALLET, AccountType.PAYMENT_CLEARING,
                        AccountType.RED_PACKET_ESCROW, AccountType.CAMPAIGN_BUDGET, AccountType.REFUND_CLEARING);
    }

    @Test
    void the_buy_now_pay_later_accounts_have_stable_codes_and_a_receivable_per_plan() {
        assertThat(AccountType.fromCode("bnpl_receivable")).isEqualTo(AccountType.BNPL_RECEIVABLE);
        assertThat(AccountType.fromCode("bnpl_fee_revenue")).isEqualTo(AccountType.BNPL_FEE_REVENUE);
        assertThat(AccountType.fromCode("bad_debt_expense")).isEqualTo(AccountType.BAD_DEBT_EXPENSE);
        assertThat(PlanEvent.receivable(new PaymentId("p_7"))).hasToString("bnpl_receivable:p_7");
        assertThat(AccountId.parse("bnpl_receivable:p_7")).isEqualTo(PlanEvent.receivable(new PaymentId("p_7")));
        assertThat(PlanEvent.FEE_REVENUE).hasToString("bnpl_fee_revenue:platform");
        assertThat(PlanEvent.BAD_DEBT).hasToString("bad_debt_expense:platform");
    }

    @Test
    void balanced_postings_pass_and_are_copied() {
        List<Posting> postings = List.of(new Posting(WALLET, Money.of(-500, "CNY")), new Posting(CLEARING, Money.of(500, "CNY")));
        assertThat(JournalEntries.requireBalanced(postings)).isEqualTo(postings);
        assertThat(JournalEntries.requireBalanced(List.of())).isEmpty();
    }

    @Test
    void postings_that_do_not_sum_to_zero_fail_loudly() {
        assertThatThrownBy(() -> JournalEntries.requireBalanced(List.of(
                new Posting(WALLET, Money.of(-500, "CNY")), new Posting(CLEARING, Money.of(499, "CNY")))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void postings_must_balance_in_each_currency_separately() {
        assertThatThrownBy(() -> JournalEntries.requireBalanced(List.of(
                new Posting(WALLET, Money.of(-500, "CNY")), new Posting(CLEARING, Money.of(500, "USD")))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(JournalEntries.requireBalanced(List.of(
                new Posting(WALLET, Money.of(-500, "CNY")), new Posting(CLEARING, Money.of(500, "CNY")),
                new Posting(WALLET, Money.of(-7, "USD")), new Posting(CLEARING, Money.of(7, "USD"))))).hasSize(4);
    }
}
