package com.hongbao.ledger.api.config;

import com.hongbao.ledger.api.LedgerProperties;
import com.hongbao.ledger.api.bnpl.PlanReviewSweep;
import com.hongbao.ledger.api.campaigns.CampaignEndSweep;
import com.hongbao.ledger.api.directory.AggregateFacts;
import com.hongbao.ledger.api.finance.Reconciliation;
import com.hongbao.ledger.api.idempotency.IdempotentCommands;
import com.hongbao.ledger.api.packets.GrabBatcher;
import com.hongbao.ledger.api.packets.RedPacketExpirySweep;
import com.hongbao.ledger.api.payments.AuthorisationExpirySweep;
import com.hongbao.ledger.api.settlement.SettlementSweep;
import com.hongbao.ledger.api.settlement.StatementRebuildRunner;
import com.hongbao.ledger.api.web.MoneyJson;
import com.hongbao.ledger.projections.bnpl.BnplProjection;
import com.hongbao.ledger.projections.bnpl.BnplQueries;
import com.hongbao.ledger.projections.campaign.CampaignProjection;
import com.hongbao.ledger.projections.campaign.CampaignQueries;
import com.hongbao.ledger.projections.ledger.FinanceReports;
import com.hongbao.ledger.projections.ledger.LedgerProjection;
import com.hongbao.ledger.projections.ledger.LedgerQueries;
import com.hongbao.ledger.projections.ledger.ReconciliationQueries;
import com.hongbao.ledger.projections.merchant.MerchantProjection;
import com.hongbao.ledger.projections.merchant.MerchantQueries;
import com.hongbao.ledger.projections.packet.RedPacketProjection;
import com.hongbao.ledger.projections.packet.RedPacketQueries;
import com.hongbao.ledger.projections.payment.PaymentProjection;
import com.hongbao.ledger.projections.payment.PaymentQueries;
import com.hongbao.ledger.projections.refund.RefundProjection;
import com.hongbao.ledger.projections.refund.RefundQueries;
import com.hongbao.ledger.projections.statement.BusinessCalendar;
import com.hongbao.ledger.projections.statement.StatementProjection;
import com.hongbao.ledger.projections.statement.StatementQueries;
import com.hongbao.ledger.projections.statement.StatementRebuild;
import com.hongbao.ledger.projections.wallet.WalletProjection;
import com.hongbao.ledger.projections.wallet.WalletQueries;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/** The application's own beans: clock, HTTP JSON rules, read models, queries and services. */
@Configuration(proxyBeanMethods = false)
public class LedgerBeans {

    /** Business time. Tests replace it with a clock they can move. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Strict JSON for requests: unknown fields and duplicate keys are errors, floats are read as
     * exact decimals, a value of another JSON type is not coerced (no {@code 2.9} or {@code "2"}
     * for a count, no {@code "false"} or {@code 0} for a flag, no {@code 1.5} or {@code true} for a
     * text; a whole number for a text is read as its digits); domain values serialise as the API
     * documents them. Amounts read their own tokens ({@code AmountInput}).
     */
    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // A whole number where a text belongs (an order number such as 12345) is read as its
                // digits, as it always was: a client's retry of such a request must still be replayed.
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addModule(MoneyJson.module());
    }

    @Bean
    LedgerProjection ledgerProjection(JdbcTemplate jdbc) {
        return new LedgerProjection(jdbc);
    }

    @Bean
    PaymentProjection paymentProjection(JdbcTemplate jdbc) {
        return new PaymentProjection(jdbc);
    }

    @Bean
    WalletProjection walletProjection(JdbcTemplate jdbc) {
        return new WalletProjection(jdbc);
    }

    @Bean
    MerchantProjection merchantProjection(JdbcTemplate jdbc) {
        return new MerchantProjection(jdbc);
    }

    @Bean
    LedgerQueries ledgerQueries(JdbcTemplate jdbc) {
        return new LedgerQueries(jdbc);
    }

    @Bean
    FinanceReports financeReports(JdbcTemplate jdbc) {
        return new FinanceReports(jdbc);
    }

    /** Money aged in clearing is reported once it has waited longer than {@code ledger.reconciliation.clearing-age-threshold}. */
    @Bean
    Reconciliation reconciliation(JdbcTemplate jdbc, CommandGateway commandGateway, Clock clock,
                                  @Value("${ledger.reconciliation.clearing-age-threshold:PT5M}") Duration clearingAgeThreshold) {
        return new Reconciliation(new ReconciliationQueries(jdbc), commandGateway, clock, clearingAgeThreshold);
    }

    @Bean
    PaymentQueries paymentQueries(JdbcTemplate jdbc) {
        return new PaymentQueries(jdbc);
    }

    @Bean
    WalletQueries walletQueries(JdbcTemplate jdbc) {
        return new WalletQueries(jdbc);
    }

    @Bean
    MerchantQueries merchantQueries(JdbcTemplate jdbc) {
        return new MerchantQueries(jdbc);
    }

    @Bean
    AggregateFacts aggregateFacts(EventStore eventStore) {
        return new AggregateFacts(eventStore);
    }

    @Bean
    IdempotentCommands idempotentCommands(CommandGateway commandGateway, EventStore eventStore, JsonMapper jsonMapper) {
        return new IdempotentCommands(commandGateway, eventStore, jsonMapper);
    }

    @Bean
    AuthorisationExpirySweep authorisationExpirySweep(PaymentQueries payments, CommandGateway commandGateway,
                                                      Clock clock) {
        return new AuthorisationExpirySweep(payments, commandGateway, clock);
    }

    @Bean
    RedPacketProjection redPacketProjection(JdbcTemplate jdbc) {
        return new RedPacketProjection(jdbc);
    }

    @Bean
    RedPacketQueries redPacketQueries(JdbcTemplate jdbc) {
        return new RedPacketQueries(jdbc);
    }

    @Bean
    RedPacketExpirySweep redPacketExpirySweep(RedPacketQueries packets, CommandGateway commandGateway, Clock clock) {
        return new RedPacketExpirySweep(packets, commandGateway, clock);
    }

    @Bean
    GrabBatcher grabBatcher(CommandGateway commandGateway, Clock clock, LedgerProperties properties) {
        return new GrabBatcher(commandGateway, clock, properties.redPackets().grabBatchSize());
    }

    @Bean
    CampaignProjection campaignProjection(JdbcTemplate jdbc) {
        return new CampaignProjection(jdbc);
    }

    @Bean
    CampaignQueries campaignQueries(JdbcTemplate jdbc) {
        return new CampaignQueries(jdbc);
    }

    @Bean
    CampaignEndSweep campaignEndSweep(CampaignQueries campaigns, CommandGateway commandGateway, Clock clock) {
        return new CampaignEndSweep(campaigns, commandGateway, clock);
    }

    @Bean
    RefundProjection refundProjection(JdbcTemplate jdbc) {
        return new RefundProjection(jdbc);
    }

    @Bean
    RefundQueries refundQueries(JdbcTemplate jdbc) {
        return new RefundQueries(jdbc);
    }

    @Bean
    BnplProjection bnplProjection(JdbcTemplate jdbc) {
        return new BnplProjection(jdbc);
    }

    @Bean
    BnplQueries bnplQueries(JdbcTemplate jdbc) {
        return new BnplQueries(jdbc);
    }

    @Bean
    PlanReviewSweep planReviewSweep(BnplQueries plans, CommandGateway commandGateway, Clock clock) {
        return new PlanReviewSweep(plans, commandGateway, clock);
    }

    @Bean
    BusinessCalendar businessCalendar(LedgerProperties properties) {
        return new BusinessCalendar(properties.platform().timeZone(), properties.settlement().closeLag());
    }

    @Bean
    StatementProjection statementProjection(JdbcTemplate jdbc, BusinessCalendar calendar) {
        return new StatementProjection(jdbc, calendar);
    }

    @Bean
    StatementRebuild statementRebuild(DataSource dataSource, PlatformTransactionManager transactionManager,
                                      EventStorageEngine eventStorageEngine, TokenStore tokenStore,
                                      StatementProjection projection) {
        return new StatementRebuild(dataSource, transactionManager, eventStorageEngine, tokenStore, projection);
    }

    @Bean
    StatementRebuildRunner statementRebuildRunner(StatementRebuild rebuild, EventProcessingConfiguration processing) {
        return new StatementRebuildRunner(rebuild, processing);
    }

    @Bean
    StatementQueries statementQueries(JdbcTemplate jdbc) {
        return new StatementQueries(jdbc);
    }

    @Bean
    SettlementSweep settlementSweep(StatementQueries statements, LedgerQueries ledger, CommandGateway commandGateway,
                                    BusinessCalendar calendar, LedgerProperties properties,
                                    EventProcessingConfiguration processing, Clock clock) {
        return new SettlementSweep(statements, ledger, commandGateway, calendar, properties.settlement().settleDelay(),
                () -> processing.eventProcessor(StatementProjection.PROCESSING_GROUP, StreamingEventProcessor.class)
                        .map(processor -> processor.isRunning() && !processor.isReplaying()).orElse(false),
                clock);
    }
}
