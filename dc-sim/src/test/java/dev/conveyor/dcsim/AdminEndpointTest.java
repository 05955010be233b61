package dev.conveyor.dcsim;

import static dev.conveyor.dcsim.TestRacks.SERVER;
import static dev.conveyor.dcsim.TestRacks.SWITCH;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.tor.driver.EapiSwitchDriver;
import dev.conveyor.device.ExchangeListener;
import dev.conveyor.tor.driver.SwitchDriver;
import dev.conveyor.rack.ManifestCodec;
import dev.conveyor.rack.ManifestFormat;
import dev.conveyor.rack.RackManifest;
import dev.conveyor.validation.redfish.Health;
import dev.conveyor.validation.redfish.RedfishClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Faults injected over the admin endpoint show in what the devices report. */
class AdminEndpointTest {
    private static SimulatedRack rack;
    private static HttpClient http;

    @BeforeAll
    static void startRack() {
        rack = SimulatedRack.start(TestRacks.smallRack(), SimOptions.defaults());
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopRack() {
        http.close();
        rack.close();
    }

    @AfterEach
    void clearFaults() {
        rack.clearAllFaults();
    }

    @Test
    void aFaultPostedToTheAdminEndpointIsObservedOverRedfish() throws Exception {
        HttpResponse<String> posted = send("POST", "/devices/" + SERVER + "/faults", "{\"type\":\"failed-psu\",\"name\":\"PSU 1\"}");

        assertThat(posted.statusCode()).isEqualTo(204);
        assertThat(rack.faults(SERVER).list()).containsExactly(new Fault.FailedPowerSupply("PSU 1"));
        try (RedfishClient client = RedfishClient.connect(TestRacks.redfish(rack, SERVER), ExchangeListener.NONE)) {
            assertThat(client.powerSupplies(client.chassis().getFirst()).getFirst().status().health())
                    .isEqualTo(Health.CRITICAL);
        }
    }

    @Test
    void aSwitchFaultPostedAndClearedOverHttp() throws Exception {
        send("POST", "/devices/" + SWITCH + "/faults", "{\"type\":\"wrong-os\",\"version\":\"4.20.1F\"}");
        try (SwitchDriver driver = EapiSwitchDriver.open(TestRacks.eapi(rack, SWITCH), ExchangeListener.NONE)) {
            assertThat(driver.facts().osVersion()).isEqualTo("4.20.1F");

            assertThat(send("DELETE", "/devices/" + SWITCH + "/faults", "").statusCode()).isEqualTo(204);

            assertThat(driver.facts().osVersion()).isEqualTo("4.31.2F");
        }
    }

    @Test
    void listsDevicesWithTheirUrlsAndFaults() throws Exception {
        rack.faults(SERVER).inject(new Fault.Slow(1500));

        JsonNode devices = new ObjectMapper().readTree(send("GET", "/devices", "").body());

        assertThat(devices.fieldNames()).toIterable().containsExactly(SWITCH, SERVER, TestRacks.REPAIRED_SERVER);
        assertThat(devices.path(SERVER).path("kind").asText()).isEqualTo("bmc");
        assertThat(devices.path(SERVER).path("url").asText()).isEqualTo(rack.bmcUri(SERVER).toString());
        assertThat(devices.path(SERVER).path("faults").get(0).path("type").asText()).isEqualTo("slow");
        assertThat(devices.path(SWITCH).path("kind").asText()).isEqualTo("switch");
    }

    @Test
    void servesTheCertificateAndTheServedManifest() throws Exception {
        String pem = send("GET", "/certificate", "").body();
        RackManifest served = ManifestCodec.parse(send("GET", "/manifest", "").body(), ManifestFormat.YAML);

        assertThat(CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(rack.certificate());
        assertThat(served).isEqualTo(rack.servedManifest());
        assertThat(served.servers().getFirst().bmcAddress()).isEqualTo("127.0.0.1:" + rack.bmcUri(SERVER).getPort());
    }

    @Test
    void refusesUnknownDevicesAndBadFaults() throws Exception {
        assertThat(send("POST", "/devices/NOPE/faults", "{\"type\":\"flapping\"}").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/devices/" + SERVER + "/faults", "{\"type\":\"meteor-strike\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> wrongKind = send("POST", "/devices/" + SERVER + "/faults", "{\"type\":\"missing-cable\",\"port\":\"Ethernet1\"}");
        assertThat(wrongKind.statusCode()).isEqualTo(400);
        assertThat(wrongKind.body()).contains("does not apply to a BMC");
        assertThat(rack.faults(SERVER).list()).isEmpty();
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(rack.adminUri() + path))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
