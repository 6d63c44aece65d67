package dev.keygate.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The values of grants, role requests, resources, token metadata and explanations, on their own: what the builders
 * keep, copy and leave out, what {@code toString} hides, and how answers without the newer fields are read. Their
 * round trips through a real server are tested in {@code dev.keygate.server.client}.
 */
class GrantsAndExplainRequestTest {

    private static final String SECRET = "kg_live_" + "SECRET".repeat(6);

    private final ObjectMapper mapper = Json.newMapper();

    @Test
    void grantFactoriesWhenCalledThenMakeUnconditionalGrantsAndWithConditionAddsOne() {
        Grant deny = Grant.deny("billing.refunds:write");
        Grant conditional = Grant.allow("crm.*:read").withCondition("request.environment == 'live'");

        assertThat(Grant.allow("a.b:read")).isEqualTo(new Grant("a.b:read", "allow", null));
        assertThat(deny).isEqualTo(new Grant("billing.refunds:write", Grant.DENY, null));
        assertThat(conditional.condition()).isEqualTo("request.environment == 'live'");
        assertThat(conditional.withCondition(null)).isEqualTo(Grant.allow("crm.*:read"));
        assertThat(deny).hasToString("deny billing.refunds:write");
        assertThat(conditional).hasToString("allow crm.*:read if request.environment == 'live'");
        assertThatThrownBy(() -> Grant.deny(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void roleRequestWhenFieldsNotGivenThenTheyAreNullSoThatAnUpdateKeepsThem() {
        RoleRequest bare = RoleRequest.builder().description("text only").build();
        RoleRequest full = RoleRequest.builder().name("r").permission("a.b:read").grant(Grant.deny("a.b:purge"))
                .maxTtl("1h").environments(List.of("staging")).build();

        assertThat(bare).isEqualTo(new RoleRequest(null, "text only", null, null, null, null));
        assertThat(full).isEqualTo(new RoleRequest("r", null, List.of("a.b:read"), List.of(Grant.deny("a.b:purge")),
                "1h", List.of("staging")));
        assertThat(RoleRequest.builder().permissions(List.of()).build().permissions()).isEmpty();
    }

    @Test
    void roleWhenBuiltWithTheOldConstructorOrReadWithoutGrantsThenItsGrantsAreItsPermissions() throws Exception {
        Instant t = Instant.parse("2026-11-22T09:15:00Z");
        Role old = new Role("r", "", List.of("a.b:read", "a.c:read"), null, null, t, t);
        Role read = mapper.readValue("{\"name\":\"r\",\"description\":\"\",\"permissions\":[\"a.b:read\",\"a.c:read\"],"
                + "\"created_at\":\"2026-11-22T09:15:00Z\",\"updated_at\":\"2026-11-22T09:15:00Z\"}", Role.class);

        assertThat(old.grants()).containsExactly(Grant.allow("a.b:read"), Grant.allow("a.c:read"));
        assertThat(read).isEqualTo(old);
    }

    @Test
    void verifyRequestWhenResourceGivenThenKeepsACopyAndTheOldConstructorHasNone() {
        Map<String, Object> resource = new HashMap<>(Map.of("owner", "billing-svc"));
        VerifyRequest request = VerifyRequest.builder().token(SECRET).resource(resource).build();
        resource.put("owner", "someone-else");

        assertThat(request.resource()).isEqualTo(Map.of("owner", "billing-svc"));
        assertThat(request.toString()).doesNotContain("SECRET").contains("resource={owner=billing-svc}");
        assertThat(new VerifyRequest(SECRET, null, null, null, null).resource()).isNull();
    }

    @Test
    void createTokenRequestWhenMetadataGivenThenKeepsACopyWithNullsAndWhenEmptyThenLeavesItOut() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("team", "billing");
        metadata.put("oncall", null);

        CreateTokenRequest with = CreateTokenRequest.builder().principal("p").role("r").metadata(metadata).build();
        metadata.clear();

        assertThat(with.metadata()).containsEntry("team", "billing").containsEntry("oncall", null).hasSize(2);
        assertThat(CreateTokenRequest.builder().principal("p").role("r").metadata(Map.of()).build().metadata())
                .isNull();
    }

    @Test
    void tokenInfoWhenReadWithoutMetadataThenItIsEmptyNotNull() throws Exception {
        TokenInfo read = mapper.readValue("{\"id\":\"tok_1\"}", TokenInfo.class);
        TokenInfo withMetadata = mapper.readValue("{\"id\":\"tok_1\",\"metadata\":{\"tier\":2}}", TokenInfo.class);

        assertThat(read.metadata()).isEmpty();
        assertThat(withMetadata.metadata()).isEqualTo(Map.of("tier", 2));
    }

    @Test
    void explainRequestWhenPrintedThenHidesTheTokenAndBuildNeedsExactlyOneOfIdAndToken() {
        ExplainRequest byToken = ExplainRequest.builder().token(SECRET).permission("a.b:read").ip("10.0.0.1")
                .resource(Map.of("owner", "x")).build();
        ExplainRequest byId = ExplainRequest.builder().tokenId("tok_1").build();

        assertThat(byToken.toString()).doesNotContain("SECRET").contains("token=***", "a.b:read", "10.0.0.1");
        assertThat(byToken.token()).isEqualTo(SECRET);
        assertThat(byId.toString()).contains("tokenId=tok_1", "token=null");
        assertThatThrownBy(() -> ExplainRequest.builder().permission("a.b:read").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> ExplainRequest.builder().tokenId("tok_1").token(SECRET).build())
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("SECRET");
    }

    @Test
    void explanationWhenReadWithoutListsThenTheyAreEmptyAndAllowedFollowsTheDecision() throws Exception {
        Explanation refused = mapper.readValue("{\"decision\":\"deny\",\"code\":\"NOT_FOUND\","
                + "\"reason\":\"no token has this secret\"}", Explanation.class);
        Explanation allowed = mapper.readValue("{\"decision\":\"allow\",\"code\":\"VALID\",\"reason\":\"r\","
                + "\"permissions\":[{\"permission\":\"a.b:read\",\"allowed\":true,\"decided_by\":{\"role\":\"x\","
                + "\"grant\":1,\"effect\":\"allow\",\"permission\":\"a.*:read\"}}]}", Explanation.class);

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.permissions()).isEmpty();
        assertThat(refused.notes()).isEmpty();
        assertThat(refused.roles()).isNull();
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.permissions().get(0).rules()).isEmpty();
        assertThat(allowed.permissions().get(0).decidedBy())
                .isEqualTo(new Explanation.Rule("x", 1, "allow", "a.*:read", null, null, null));
    }
}
