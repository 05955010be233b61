package dev.conveyor.tor.driver;

import dev.conveyor.device.Exchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver's request shape and error classification, against canned eAPI answers. */
class EapiSwitchDriverTest {
    private FakeEapiSwitch fake;
    private SwitchDriver driver;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeEapiSwitch();
        driver = EapiSwitchDriver.open(fake.config(), exchanges::add);
    }

    @AfterEach
    void stop() {
        driver.close();
        fake.close();
    }

    @Test
    void sendsAJsonRpcRunCmdsRequest() throws Exception {
        fake.answer(200, """
                {"jsonrpc": "2.0", "id": "x", "result": [{"modelName": "DCS-7280CR3-32P4", "serialNumber": "JPE1234",
                 "version": "4.30.1F", "systemMacAddress": "aa:bb:cc:dd:ee:ff", "futureField": {"a": 1}}]}
                """);

        assertThat(driver.facts()).isEqualTo(new SwitchFacts("DCS-7280CR3-32P4", "JPE1234", "4.30.1F", "aa:bb:cc:dd:ee:ff"));
        JsonNode request = new ObjectMapper().readTree(fake.requests().getFirst());
        assertThat(request.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(request.path("method").asText()).isEqualTo("runCmds");
        assertThat(request.path("params").path("version").asInt()).isEqualTo(1);
        assertThat(request.path("params").path("format").asText()).isEqualTo("json");
        assertThat(request.path("params").path("cmds").get(0).asText()).isEqualTo("show version");
    }

    @Test
    void aJsonRpcErrorNamesTheFailedCommand() {
        fake.answer(200, """
                {"jsonrpc": "2.0", "id": "x", "error": {"code": 1002,
                 "message": "CLI command 3 of 4 'router bgp x' failed: invalid command",
                 "data": [{}, {}, {"errors": ["Invalid input (at token 2: 'x')"]}]}}
                """);

        assertThatThrownBy(() -> driver.pushConfig("s1", List.of("router bgp x", "neighbor 1.1.1.1 remote-as 1")))
                .isInstanceOfSatisfying(SwitchCommandException.class, e -> {
                    assertThat(e.code()).isEqualTo(1002);
                    assertThat(e.command()).isEqualTo("router bgp x");
                    assertThat(e.getMessage()).endsWith("Invalid input (at token 2: 'x') (command: router bgp x)");
                });
    }

    @Test
    void aResponseOfTheWrongShapeNamesTheCommandAndField() {
        fake.answer(200, "{\"jsonrpc\": \"2.0\", \"id\": \"x\", \"result\": [{\"neighbors\": []}]}");

        assertThatThrownBy(driver::lldpNeighbors).isInstanceOfSatisfying(SwitchProtocolException.class,
                e -> assertThat(e.getMessage()).endsWith("'show lldp neighbors': expected an array at lldpNeighbors"));
    }

    @Test
    void aNestedFieldOfTheWrongShapeNamesItsPath() {
        fake.answer(200, """
                {"jsonrpc": "2.0", "id": "x", "result": [{"powerSupplies": {"1": {"modelName": "PWR-500AC-F"}}}]}
                """);

        assertThatThrownBy(driver::powerSupplies).isInstanceOfSatisfying(SwitchProtocolException.class,
                e -> assertThat(e.getMessage()).endsWith("'show environment power': expected a value at powerSupplies.1.state"));
    }

    @Test
    void serverErrorsAreRetryableAndClientErrorsAreNot() {
        fake.answer(502, "bad gateway");
        assertThatThrownBy(driver::facts).isInstanceOfSatisfying(SwitchUnavailableException.class,
                e -> assertThat(e.retryable()).isTrue());

        fake.answer(401, "Unable to authenticate user");
        assertThatThrownBy(driver::facts).isInstanceOfSatisfying(SwitchProtocolException.class,
                e -> assertThat(e.getMessage()).contains("HTTP 401 (check the switch credentials)").doesNotContain("secret"));

        fake.answer(200, "<html>login</html>");
        assertThatThrownBy(driver::facts).isInstanceOfSatisfying(SwitchProtocolException.class,
                e -> assertThat(e.getMessage()).contains("response is not JSON"));

        assertThat(exchanges).extracting(Exchange::status).containsExactly(502, 401, 200);
    }

    @Test
    void sessionNamesAreChecked() {
        assertThatThrownBy(() -> driver.pushConfig("bad name; reload", List.of("hostname x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(fake.requests()).isEmpty();
    }
}
