package dev.conveyor.dcsim;

import static dev.conveyor.dcsim.TestRacks.SERVER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.device.ExchangeListener;
import dev.conveyor.device.TlsTrust;
import dev.conveyor.validation.redfish.EthernetInterface;
import dev.conveyor.validation.redfish.LogEntry;
import dev.conveyor.validation.redfish.Processor;
import dev.conveyor.validation.redfish.RedfishClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shapes of other vendors' BMCs, as the Redfish client reads them from dc-sim over HTTPS. */
class BmcShapesTest {
    private static SimulatedRack rack;

    @BeforeAll
    static void startRack() {
        rack = SimulatedRack.start(TestRacks.smallRack(), SimOptions.defaults());
    }

    @AfterAll
    static void stopRack() {
        rack.close();
    }

    @AfterEach
    void clearFaults() {
        rack.clearAllFaults();
    }

    @Test
    void shapesInjectedAsJsonReachTheClient() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String shape : List.of("{\"type\":\"extra-processor\",\"processorType\":\"GPU\",\"model\":\"NVIDIA H100\"}",
                "{\"type\":\"absent-cpu-socket\"}", "{\"type\":\"vlan-interface\",\"vlanId\":42,\"typed\":false}",
                "{\"type\":\"host-interface\"}")) {
            rack.faults(SERVER).inject(json.readValue(shape, Fault.class));
        }
        try (RedfishClient client = RedfishClient.connect(TestRacks.redfish(rack, SERVER), ExchangeListener.NONE)) {
            var system = client.systems().getFirst();
            List<Processor> processors = client.processors(system);
            List<EthernetInterface> nics = client.ethernetInterfaces(system);

            assertThat(processors).filteredOn(p -> !p.cpu()).extracting(Processor::processorType, Processor::model)
                    .containsExactly(org.assertj.core.api.Assertions.tuple("GPU", "NVIDIA H100"));
            assertThat(processors).filteredOn(p -> !p.status().present()).extracting(Processor::processorType)
                    .containsExactly("CPU");
            assertThat(nics).extracting(EthernetInterface::name, EthernetInterface::role).contains(
                    org.assertj.core.api.Assertions.tuple("VLAN 42", EthernetInterface.Role.VLAN),
                    org.assertj.core.api.Assertions.tuple("ToManager", EthernetInterface.Role.HOST_INTERFACE));
            assertThat(nics).filteredOn(EthernetInterface::physical).hasSize(2);
        }
    }

    @Test
    void aPagedLogIsReadWhole() {
        rack.faults(SERVER).inject(new Fault.CriticalLogEntry("on the last page"));
        rack.faults(SERVER).inject(new Fault.PagedLog(1, "@odata.nextLink"));
        try (RedfishClient client = RedfishClient.connect(TestRacks.redfish(rack, SERVER), ExchangeListener.NONE)) {
            List<LogEntry> entries = client.logEntries(client.systems().getFirst());

            assertThat(entries).hasSize(3);
            assertThat(entries.getLast().message()).isEqualTo("on the last page");
        }
    }

    /** HTTP/1.1 keeps the connection open between requests, as BMCs do: two answers on one socket. */
    @Test
    void aConnectionServesOneRequestAfterAnother() throws Exception {
        URI bmc = rack.bmcUri(SERVER);
        try (SSLSocket socket = (SSLSocket) TlsTrust.pinned(rack.certificate()).sslContext().getSocketFactory()
                .createSocket(bmc.getHost(), bmc.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 2; i++) {
                out.write(("GET /redfish/v1 HTTP/1.1\r\nHost: " + bmc.getHost() + "\r\nAccept: application/json\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();

                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
                int length = Integer.parseInt(head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                        .findFirst().orElseThrow().substring("content-length:".length()).strip());
                assertThat(new String(in.readNBytes(length), StandardCharsets.UTF_8)).contains("\"RedfishVersion\"");
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && (matched % 2 == 0 ? b == '\r' : b == '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
