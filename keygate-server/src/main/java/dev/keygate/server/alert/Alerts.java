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

import java.time.Clock;

/**
 * The alerting of one server, built from its {@link AlertConfig}: the {@link #service() service} that raises
 * and lists alerts, the {@link #rules() rules} the audit writer runs with each batch of verify events, and the
 * {@link #deliverer() deliverer} that sends them to the webhooks. {@link #start()} starts delivery;
 * {@link #close()} stops it (close it after the audit writer, whose last batches may raise alerts).
 */
public final class Alerts implements AutoCloseable {

    private final AlertService service;
    private final AlertRules rules;
    private final WebhookDeliverer deliverer;

    private Alerts(AlertService service, AlertRules rules, WebhookDeliverer deliverer) {
        this.service = service;
        this.rules = rules;
        this.deliverer = deliverer;
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
        AlertRules rules = new AlertRules(config, db, store, service, clock, deliverer::wake);
        return new Alerts(service, rules, deliverer);
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

    /** Starts delivering (no thread is started when no webhook is configured). */
    public void start() {
        deliverer.start();
    }

    @Override
    public void close() {
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
