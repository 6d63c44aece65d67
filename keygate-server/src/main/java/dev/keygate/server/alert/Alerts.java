package dev.keygate.server.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.keygate.server.audit.AuditStore;
import dev.keygate.server.audit.VerifyEventHandler;
import dev.keygate.server.store.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The alerting of one server, built from its {@link AlertConfig}: the {@link #service() service} that raises
 * and lists alerts, the {@link #rules() rules} the audit writer runs with each batch of verify events, the
 * {@link #deliverer() deliverer} that sends them to the webhooks, and the {@link #retention() retention} that
 * prunes them. {@link #start(Duration)} starts delivery and retention; {@link #close()} stops them (close it after
 * the audit writer, whose last batches may raise alerts).
 */
public final class Alerts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final AlertService service;
    private final AlertRules rules;
    private final WebhookDeliverer deliverer;
    private final AlertRetention retention;
    private final AlertConfig config;

    private Alerts(AlertService service, AlertRules rules, WebhookDeliverer deliverer, AlertRetention retention,
                   AlertConfig config) {
        this.service = service;
        this.rules = rules;
        this.deliverer = deliverer;
        this.retention = retention;
        this.config = config;
    }

    /** Builds the alerting on {@code db}; alert events go to {@code audit}; every time is read from {@code clock}. */
    public static Alerts create(Database db, AuditStore audit, AlertConfig config, Clock clock) {
        return create(db, audit, config, clock, AlertSink.NONE);
    }

    /**
     * Builds the alerting as {@link #create(Database, AuditStore, AlertConfig, Clock)} does; {@code observer} is
     * given each alert raised, on the raising transaction's connection, once it is stored.
     */
    public static Alerts create(Database db, AuditStore audit, AlertConfig config, Clock clock, AlertSink observer) {
        AlertStore store = new JdbcAlertStore();
        WebhookDeliverer deliverer = new WebhookDeliverer(db, store, config, clock, bodyMapper());
        AlertService service = new AlertService(db, store, audit,
                config.webhooks().stream().map(AlertConfig.Webhook::name).toList(), clock, deliverer::wake, observer);
        AlertRules rules = new AlertRules(config, store, service, deliverer::wake);
        return new Alerts(service, rules, deliverer, new AlertRetention(db, store, config.retention(), clock), config);
    }

    /** Raises alerts (it is the server's {@link AlertSink}) and lists them. */
    public AlertService service() {
        return service;
    }

    /** The rules, for the audit writer. */
    public VerifyEventHandler rules() {
        return rules;
    }

    /** The deliverer, for its counts. */
    public WebhookDeliverer deliverer() {
        return deliverer;
    }

    /** The pruning of old alerts and ended suppressions; {@link AlertRetention#pruneNow()} runs it now. */
    public AlertRetention retention() {
        return retention;
    }

    /**
     * Starts delivering (no thread is started when no webhook is configured) and pruning every
     * {@code retentionInterval} (never when it is zero; see {@link AlertRetention#start(Duration)}).
     */
    public void start(Duration retentionInterval) {
        List<String> off = AlertConfig.RULES.stream().filter(r -> !config.ruleOn(r)).toList();
        if (!off.isEmpty()) {
            log.info("alert rules off (--alert-rules): {}", String.join(", ", off));
        }
        deliverer.start();
        retention.start(retentionInterval);
    }

    /** Stops pruning and delivering (pending deliveries stay in the store). Idempotent. */
    @Override
    public void close() {
        retention.close();
        deliverer.close();
    }

    /** The JSON of a delivery's body: the alert's fields in snake_case, RFC 3339 times, nulls left out. */
    private static ObjectMapper bodyMapper() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }
}
