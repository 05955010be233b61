package dev.conveyor.server.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WorkerCommandTest {

    private static WorkerCommand parse(String... args) {
        WorkerCommand command = new WorkerCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void poolsAreRepeatableOrCommaSeparatedWithDefaultSlots() {
        WorkerCommand command = parse("--db-url", "jdbc:mysql://db:3306/conveyor", "--pool", "default:16",
                "--pool", "validation,tor:2", "--lease", "10s", "--shutdown-timeout", "250ms");
        assertThat(command.pools).containsExactly(new PoolSpec("default", 16), new PoolSpec("validation", 8),
                new PoolSpec("tor", 2));
        assertThat(command.lease).isEqualTo(Duration.ofSeconds(10));
        assertThat(command.shutdownTimeout).isEqualTo(Duration.ofMillis(250));
        assertThat(command.reaperInterval).isEqualTo(Duration.ofSeconds(1));
        assertThat(command.handlerTimeout).isEqualTo(Duration.ofMinutes(30));
        assertThat(command.handlerStopGrace).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void handlersTimeLimitAndStopGraceReachEveryPool() {
        WorkerCommand command = parse("--db-url", "jdbc:mysql://db:3306/conveyor", "--handler-timeout", "2s",
                "--handler-stop-grace", "500ms");
        WorkerSettings settings = new WorkerSettings(WorkerSettings.DEFAULTS.leaseDuration(),
                WorkerSettings.DEFAULTS.shutdownTimeout(), WorkerSettings.DEFAULTS.idlePollMax(),
                WorkerSettings.DEFAULTS.maxBatch(), command.prefetch, command.handlerTimeout, command.handlerStopGrace,
                WorkerSettings.DEFAULTS.reaper(), WorkerSettings.DEFAULTS.retention());
        assertThat(settings.poolConfig(PoolSpec.parse("q:2")).handlerTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.poolConfig(PoolSpec.parse("q:2")).stopGrace()).isEqualTo(Duration.ofMillis(500));
        assertThatThrownBy(() -> new WorkerSettings(settings.leaseDuration(), settings.shutdownTimeout(),
                settings.idlePollMax(), settings.maxBatch(), settings.prefetch(), Duration.ZERO, settings.stopGrace(),
                settings.reaper(), settings.retention())).hasMessageContaining("handlerTimeout");
    }

    @Test
    void refusesBadPoolsDurationsAndAPasswordFlag() {
        String url = "jdbc:mysql://db:3306/conveyor";
        assertThatThrownBy(() -> parse("--db-url", url, "--pool", "default:0"))
                .hasMessageContaining("slots must be in [1, 10000]");
        assertThatThrownBy(() -> parse("--db-url", url, "--pool", "default:many"))
                .hasMessageContaining("must be queue[:slots]");
        assertThatThrownBy(() -> parse("--db-url", url, "--lease", "soon")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> parse("--db-url", url, "--db-password", "secret"))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    }

    @Test
    void aLeaseItsFencingMarginDoesNotFitIsAUsageErrorNamingTheSettings() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = new CommandLine(new WorkerCommand()).setErr(new java.io.PrintWriter(err));
        int exit = cli.execute("--db-url", "jdbc:mysql://db:3306/conveyor", "--lease", "3s");
        assertThat(exit).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("leaseDuration (3s)", "stopGrace", "heartbeatInterval")
                .doesNotContain("\tat ");
    }

    @Test
    void settingsRefuseALeaseTooShortForItsHeartbeat() {
        assertThatThrownBy(() -> new WorkerSettings(Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(1), 50,
                WorkerSettings.PREFETCH_DEFAULT, Duration.ofMinutes(30), Duration.ofSeconds(10),
                WorkerSettings.DEFAULTS.reaper(), WorkerSettings.DEFAULTS.retention()))
                .hasMessageContaining("leaseDuration");
        assertThatThrownBy(() -> new WorkerSettings(Duration.ofSeconds(15), Duration.ZERO, Duration.ofSeconds(1), 50,
                -2, Duration.ofMinutes(30), Duration.ofSeconds(10), WorkerSettings.DEFAULTS.reaper(),
                WorkerSettings.DEFAULTS.retention()))
                .hasMessageContaining("prefetch");
        assertThatThrownBy(() -> new WorkerSettings(Duration.ofSeconds(15), Duration.ZERO, Duration.ofSeconds(1), 50,
                WorkerSettings.PREFETCH_DEFAULT, Duration.ofMinutes(30), Duration.ofSeconds(10),
                WorkerSettings.DEFAULTS.reaper(), WorkerSettings.DEFAULTS.retention()))
                .as("a 15 s lease renewed every 5 s cannot hold a 10 s stop grace inside its self-fencing margin")
                .hasMessageContaining("leaseDuration (15s) must be longer than heartbeatInterval (5s) plus the "
                        + "self-fencing margin (10365ms: stopGrace 10s");
        assertThat(WorkerSettings.DEFAULTS.poolConfig(PoolSpec.parse("default")).slots()).isEqualTo(8);
        assertThat(WorkerSettings.DEFAULTS.poolConfig(PoolSpec.parse("q:3")).prefetch())
                .as("the daemon's default prefetch is four claim batches").isEqualTo(4 * WorkerSettings.DEFAULTS.maxBatch());
        assertThat(List.of(PoolSpec.parse("q:3"))).containsExactly(new PoolSpec("q", 3));
    }
}
