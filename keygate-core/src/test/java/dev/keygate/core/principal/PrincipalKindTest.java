package dev.keygate.core.principal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PrincipalKindTest {

    @ParameterizedTest
    @CsvSource({"SERVICE, service", "INTEGRATION, integration", "USER, user"})
    void apiNameWhenAnyKindThenLowerCaseAndParsesBack(PrincipalKind kind, String apiName) {
        assertThat(kind.apiName()).isEqualTo(apiName);
        assertThat(PrincipalKind.fromApiName(apiName)).isSameAs(kind);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"SERVICE", "Service", "robot", " user"})
    void fromApiNameWhenUnknownThenNull(String name) {
        assertThat(PrincipalKind.fromApiName(name)).isNull();
    }
}
