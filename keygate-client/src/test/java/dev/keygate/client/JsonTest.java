package dev.keygate.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's JSON mapping on answers a real Keygate server does not give today but the contract allows: times
 * with an offset, and fields added by a newer server. The answers the server does give are read in the
 * end-to-end tests of {@code keygate-server} ({@code dev.keygate.server.client}).
 */
class JsonTest {

    private final ObjectMapper mapper = Json.newMapper();

    @Test
    void readWhenTimeHasAnOffsetThenConvertsToTheSameInstant() throws Exception {
        Role role = mapper.readValue("{\"name\":\"r\",\"permissions\":[\"a:read\"],"
                + "\"created_at\":\"2026-11-22T10:15:00+01:00\",\"updated_at\":\"2026-11-22T09:15:00.250Z\"}",
                Role.class);

        assertThat(role.createdAt()).isEqualTo(Instant.parse("2026-11-22T09:15:00Z"));
        assertThat(role.updatedAt()).isEqualTo(Instant.parse("2026-11-22T09:15:00.250Z"));
    }

    @Test
    void readWhenAnswerHasUnknownFieldsThenIgnoresThem() throws Exception {
        Principal p = mapper.readValue("{\"added_in_v2\":{\"x\":[1,2]},\"name\":\"billing-svc\",\"kind\":\"service\","
                + "\"description\":\"\",\"metadata\":{},\"created_at\":\"2026-11-22T09:15:00Z\"}", Principal.class);

        assertThat(p.name()).isEqualTo("billing-svc");
        assertThat(p.kind()).isEqualTo("service");
    }

    @Test
    void readWhenListsAreMissingThenRecordsHoldEmptyLists() throws Exception {
        AuditPage page = mapper.readValue("{\"next_cursor\":null}", AuditPage.class);
        TokenInfo token = mapper.readValue("{\"id\":\"tok_1\"}", TokenInfo.class);

        assertThat(page.items()).isEmpty();
        assertThat(page.hasNext()).isFalse();
        assertThat(token.roles()).isEqualTo(List.of());
    }
}
