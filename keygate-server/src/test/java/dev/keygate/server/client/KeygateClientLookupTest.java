package dev.keygate.server.client;

import dev.keygate.client.CreatedToken;
import dev.keygate.client.FoundToken;
import dev.keygate.client.KeygateApiException;
import dev.keygate.client.KeygateClient;
import dev.keygate.core.token.TokenFormat;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link KeygateClient#lookupTokens} and {@link KeygateClient#hashToken} against a real server. */
class KeygateClientLookupTest extends ClientEndToEndTest {

    @Test
    void hashTokenWhenAnyTokenThenItIsTheHashTheServerStores() {
        String token = TokenFormat.mint("staging", new SecureRandom());

        assertThat(KeygateClient.hashToken(token)).isEqualTo(TokenFormat.hash(token)).hasSize(64);
    }

    @Test
    void lookupTokensWhenSomeHashesAreKnownThenAnswersThoseTokensInOrder() {
        CreatedToken first = tokenWith("client-lookup-a", "a:read");
        CreatedToken second = tokenWith("client-lookup-b", "a:read");
        admin.revokeToken(second.id(), "test");
        String unknown = KeygateClient.hashToken(TokenFormat.mint("live", new SecureRandom()));

        List<FoundToken> found = admin.lookupTokens(List.of(KeygateClient.hashToken(second.secret()), unknown,
                KeygateClient.hashToken(first.secret())));

        assertThat(found).extracting(f -> f.token().id()).containsExactly(second.id(), first.id());
        assertThat(found.get(0).hash()).isEqualTo(KeygateClient.hashToken(second.secret()));
        assertThat(found.get(0).token()).isEqualTo(admin.getToken(second.id()));
        assertThat(found.get(0).token().status()).isEqualTo("revoked");
        assertThat(found.get(1).token().status()).isEqualTo("active");
    }

    @Test
    void lookupTokensWhenAHashIsMalformedThen400NamingIt() {
        KeygateApiException e = catchThrowableOfType(KeygateApiException.class,
                () -> admin.lookupTokens(List.of("0".repeat(64), "not-a-hash")));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).extracting(f -> f.field()).containsExactly("hashes[1]");
    }
}
