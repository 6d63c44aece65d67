package dev.keygate.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.token.TokenFormat;
import dev.keygate.server.AdminRecovery;
import dev.keygate.server.KeygateServer;
import dev.keygate.server.config.ServerConfig;
import dev.keygate.server.testing.EndToEndTest;
import dev.keygate.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The first admin token, later starts, and the recovery path. */
class BootstrapTest extends EndToEndTest {

    @Test
    void firstStartWhenTokenFileGivenThenWritesWorkingTokenWithMode0600() throws IOException {
        try (TestServer s = TestServer.start(store)) {
            Path file = s.dir().resolve("admin-token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(TokenFormat.isWellFormed(s.adminToken())).isTrue();
            assertThat(s.get("/v1/roles/keygate-admin", s.adminToken()).json().get("permissions").get(0).asText())
                    .isEqualTo("keygate.*:*");
            assertThat(s.get("/v1/principals/admin", s.adminToken()).json().get("kind").asText()).isEqualTo("user");
        }
    }

    @Test
    void laterStartWhenStoreNotEmptyThenNoTokenIsWritten() throws IOException {
        try (TestServer s = TestServer.start(store)) {
            Path file = s.dir().resolve("admin-token");
            Files.delete(file);
            s.restart();
            assertThat(file).doesNotExist();
            assertThat(s.get("/v1/roles", s.adminToken()).status()).isEqualTo(200);
            assertThat(s.count("SELECT COUNT(*) FROM tokens")).isEqualTo(1);
        }
    }

    @Test
    void firstStartWhenNoTokenFileThenPrintsTheTokenOnceAndLaterStartsPrintNothing(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServerConfig config = ServerConfig.builder().listen("127.0.0.1:0").dataDir(dir.toString())
                .bootstrapOutput(new PrintStream(out, true, StandardCharsets.UTF_8)).build();
        try (KeygateServer ignored = KeygateServer.start(config)) {
            String printed = out.toString(StandardCharsets.UTF_8);
            String token = printed.lines().filter(TokenFormat::isWellFormed).findFirst().orElseThrow();
            assertThat(printed).contains("shown once");
            assertThat(token).startsWith("kg_live_");
        }
        out.reset();
        try (KeygateServer ignored = KeygateServer.start(config)) {
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        }
    }

    @Test
    void recoveryWhenEveryAdminTokenIsRevokedThenMintsAWorkingAuditedAdminToken() {
        try (TestServer s = TestServer.start(store)) {
            String id = s.get("/v1/tokens?principal=admin", s.adminToken()).json().get("items").get(0)
                    .get("id").asText();
            assertThat(s.post("/v1/tokens/" + id + "/revoke", s.adminToken(), Map.of()).status()).isEqualTo(200);
            assertThat(s.get("/v1/roles", s.adminToken()).status()).isEqualTo(401);

            String recovered = AdminRecovery.mintAdminToken(s.storeConfig());

            assertThat(TokenFormat.isWellFormed(recovered)).isTrue();
            assertThat(s.get("/v1/roles", recovered).status()).isEqualTo(200);
            TestServer.Response audit = s.get("/v1/audit?action=token.create&principal=system", recovered);
            assertThat(audit.json().get("items").get(0).get("detail").asText()).startsWith("recovery");
            assertThat(audit.text()).doesNotContain(recovered);
        }
    }

    /** Disabling the admin principal revokes every admin token; recovery must still give a working one. */
    @Test
    void recoveryWhenAdminPrincipalDisabledThenEnablesItAndMintsAWorkingToken() {
        try (TestServer s = TestServer.start(store)) {
            TestServer.Response disabled = s.post("/v1/principals/admin/disable", s.adminToken(), Map.of());
            assertThat(disabled.status()).isEqualTo(200);
            assertThat(s.get("/v1/roles", s.adminToken()).status()).isEqualTo(401);

            String recovered = AdminRecovery.mintAdminToken(s.storeConfig());

            assertThat(s.get("/v1/roles", recovered).status()).isEqualTo(200);
            assertThat(s.get("/v1/principals/admin", recovered).json().get("disabled").asBoolean()).isFalse();
            TestServer.Response audit = s.get("/v1/audit?action=principal.enable&principal=system", recovered);
            assertThat(audit.json().get("items")).hasSize(1);
        }
    }

    /** A deny added to the admin role would lock a recovered token out too: recovery restores the role. */
    @Test
    void recoveryWhenTheAdminRoleGainedADenyThenRestoresItAndTheTokenWorks() {
        try (TestServer s = TestServer.start(store)) {
            TestServer.Response narrowed = s.put("/v1/roles/keygate-admin", s.adminToken(), Map.of(
                    "permissions", List.of("keygate.*:*"),
                    "grants", List.of(Map.of("permission", "keygate.roles:read", "effect", "deny"))));
            assertThat(narrowed.status()).as(narrowed.text()).isEqualTo(200);
            assertThat(s.get("/v1/roles", s.adminToken()).status()).isEqualTo(403);

            String recovered = AdminRecovery.mintAdminToken(s.storeConfig());

            assertThat(s.get("/v1/roles", recovered).status()).isEqualTo(200);
            JsonNode role = s.get("/v1/roles/keygate-admin", recovered).json();
            assertThat(role.get("grants")).hasSize(1);
            assertThat(role.get("permissions").get(0).asText()).isEqualTo("keygate.*:*");
        }
    }
}
