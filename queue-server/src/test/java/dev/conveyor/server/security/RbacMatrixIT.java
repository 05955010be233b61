package dev.conveyor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.conveyor.core.testing.TestDatabase;
import dev.conveyor.core.testing.TestDb;
import dev.conveyor.proto.v1.AuditServiceGrpc;
import dev.conveyor.proto.v1.CancelJobRequest;
import dev.conveyor.proto.v1.GetJobRequest;
import dev.conveyor.proto.v1.GetRackStatusRequest;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.ListAuditEventsRequest;
import dev.conveyor.proto.v1.ListJobEventsRequest;
import dev.conveyor.proto.v1.ListJobsRequest;
import dev.conveyor.proto.v1.ListQueuesRequest;
import dev.conveyor.proto.v1.ListWorkersRequest;
import dev.conveyor.proto.v1.PauseQueueRequest;
import dev.conveyor.proto.v1.QueueAdminServiceGrpc;
import dev.conveyor.proto.v1.RackServiceGrpc;
import dev.conveyor.proto.v1.ResumeQueueRequest;
import dev.conveyor.proto.v1.RetryJobRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.SubmitJobsRequest;
import dev.conveyor.proto.v1.SubscribeWakeupsRequest;
import dev.conveyor.proto.v1.ValidateRackRequest;
import dev.conveyor.proto.v1.WatchJobRequest;
import dev.conveyor.proto.v1.WorkerServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every role × every RPC over a real port: allowed or PERMISSION_DENIED exactly as
 * docs/security.md's table says (the table below is that one, written out independently of
 * {@link RbacPolicy}); no credentials or an unknown token is UNAUTHENTICATED; health is open; a
 * refused mutating call leaves a DENIED audit record.
 */
@ExtendWith(TestDatabase.class)
class RbacMatrixIT {
    /** docs/security.md: y allowed, - denied; columns submitter, technician, operator, admin. */
    private static final String DOCUMENTED = """
            JobService/SubmitJob              y - - y
            JobService/SubmitJobs             y - - y
            JobService/GetJob                 y y y y
            JobService/ListJobs               y y y y
            JobService/WatchJob               y y y y
            JobService/ListJobEvents          y y y y
            JobService/CancelJob              - - y y
            JobService/RetryJob               - - y y
            QueueAdminService/ListQueues      - y y y
            QueueAdminService/PauseQueue      - - y y
            QueueAdminService/ResumeQueue     - - y y
            QueueAdminService/ListWorkers     - - y y
            WorkerService/SubscribeWakeups    - - y y
            RackService/ValidateRack          - y y y
            RackService/GetRackStatus         - y y y
            AuditService/ListAuditEvents      - - y y
            """;
    private static final Set<String> MUTATING = Set.of("JobService/SubmitJob", "JobService/SubmitJobs",
            "JobService/CancelJob", "JobService/RetryJob", "QueueAdminService/PauseQueue",
            "QueueAdminService/ResumeQueue", "RackService/ValidateRack");
    private static final long NO_SUCH_JOB = 999_999_999L;
    private static final Map<String, Message> REQUESTS = requests();

    private static SecureServer server;
    private static TestDb db;
    private static final Map<Role, ManagedChannel> channels = new EnumMap<>(Role.class);

    @BeforeAll
    static void start(TestDb testDb, @TempDir Path dir) throws Exception {
        db = testDb;
        server = SecureServer.start(db.open(), new ServerSecurity.Settings(null, SecureServer.tokenFile(dir),
                RateLimits.Settings.DEFAULTS));
        for (Role role : Role.values()) {
            channels.put(role, server.plaintext(role));
        }
    }

    @AfterAll
    static void stop() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        server.close();
    }

    @Test
    void thePolicyCoversEveryMethodOfEveryConveyorServiceAndTheDocumentedTable() {
        Set<String> methods = new HashSet<>();
        Stream.of(JobServiceGrpc.getServiceDescriptor(), QueueAdminServiceGrpc.getServiceDescriptor(),
                        WorkerServiceGrpc.getServiceDescriptor(), RackServiceGrpc.getServiceDescriptor(),
                        AuditServiceGrpc.getServiceDescriptor())
                .map(ServiceDescriptor::getMethods).flatMap(Collection::stream)
                .forEach(m -> methods.add(m.getFullMethodName()));
        assertThat(RbacPolicy.rules().keySet()).containsExactlyInAnyOrderElementsOf(methods);
        assertThat(documented().keySet()).containsExactlyInAnyOrderElementsOf(
                methods.stream().map(RbacMatrixIT::shortName).toList());
        RbacPolicy.rules().forEach((method, rule) ->
                assertThat(rule.mutating()).as(method).isEqualTo(MUTATING.contains(shortName(method))));
    }

    @Test
    void everyRoleIsAllowedOrDeniedEveryRpcExactlyAsDocumented() {
        List<String> mismatches = new ArrayList<>();
        int deniedMutating = 0;
        for (Map.Entry<String, Map<Role, Boolean>> row : documented().entrySet()) {
            for (Role role : Role.values()) {
                boolean allowed = row.getValue().get(role);
                Status.Code code = call(channels.get(role), row.getKey());
                boolean refused = code == Status.Code.PERMISSION_DENIED;
                if (allowed == refused || code == Status.Code.UNAUTHENTICATED) {
                    mismatches.add(row.getKey() + " as " + role.label() + ": " + code + ", documented "
                            + (allowed ? "allowed" : "denied"));
                }
                if (!allowed && MUTATING.contains(row.getKey())) {
                    deniedMutating++;
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(db.queryLong("SELECT COUNT(*) FROM audit_event WHERE outcome = 'DENIED'"))
                .as("one DENIED audit record per refused mutating call").isEqualTo(deniedMutating);
        assertThat(db.queryRows("SELECT actor, roles, target, detail, remote FROM audit_event "
                + "WHERE outcome = 'DENIED' AND action = 'JobService/CancelJob' AND actor = 'sub'"))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("roles")).isEqualTo("submitter");
                    assertThat(r.get("target")).isEqualTo("job " + NO_SUCH_JOB);
                    assertThat((String) r.get("detail")).contains("may not call JobService/CancelJob");
                    assertThat((String) r.get("remote")).startsWith("127.0.0.1:");
                });
        assertThat(db.queryLong("SELECT COUNT(*) FROM audit_event WHERE outcome = 'DENIED' AND "
                + "(detail LIKE '%token-of-%' OR target LIKE '%token-of-%')")).as("no token in the log").isZero();
    }

    @Test
    void callsWithoutCredentialsOrWithAnUnknownTokenAreUnauthenticatedAndHealthIsOpen() throws Exception {
        ManagedChannel anonymous = server.channel(InsecureChannelCredentials.create());
        ManagedChannel forged = server.channel(new ClientSecurity(true, null, null, null, "not-a-known-token"));
        try {
            for (String method : documented().keySet()) {
                assertThat(call(anonymous, method)).as(method + " without credentials")
                        .isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(call(forged, method)).as(method + " with an unknown token")
                        .isEqualTo(Status.Code.UNAUTHENTICATED);
            }
            HealthCheckResponse health = HealthGrpc.newBlockingStub(anonymous).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            anonymous.shutdownNow();
            forged.shutdownNow();
        }
    }

    /** The call's status code: OK, or the code it failed with. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Status.Code call(Channel channel, String shortName) {
        MethodDescriptor method = descriptor(shortName);
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
        try {
            if (method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
                Iterator<?> stream = ClientCalls.blockingServerStreamingCall(channel, method,
                        CallOptions.DEFAULT.withDeadlineAfter(3, TimeUnit.SECONDS), REQUESTS.get(shortName));
                stream.hasNext();
            } else {
                ClientCalls.blockingUnaryCall(channel, method, options, REQUESTS.get(shortName));
            }
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static MethodDescriptor<?, ?> descriptor(String shortName) {
        return Stream.of(JobServiceGrpc.getServiceDescriptor(), QueueAdminServiceGrpc.getServiceDescriptor(),
                        WorkerServiceGrpc.getServiceDescriptor(), RackServiceGrpc.getServiceDescriptor(),
                        AuditServiceGrpc.getServiceDescriptor())
                .map(ServiceDescriptor::getMethods).flatMap(Collection::stream)
                .filter(m -> shortName(m.getFullMethodName()).equals(shortName)).findFirst().orElseThrow();
    }

    private static String shortName(String fullMethodName) {
        return fullMethodName.substring("conveyor.v1.".length());
    }

    private static Map<String, Map<Role, Boolean>> documented() {
        Map<String, Map<Role, Boolean>> table = new LinkedHashMap<>();
        DOCUMENTED.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(line -> {
            String[] f = line.split("\\s+");
            Map<Role, Boolean> row = new EnumMap<>(Role.class);
            for (Role role : Role.values()) {
                row.put(role, f[1 + role.ordinal()].equals("y"));
            }
            table.put(f[0], row);
        });
        return table;
    }

    private static Map<String, Message> requests() {
        Map<String, Message> r = new LinkedHashMap<>();
        SubmitJobRequest submit = SubmitJobRequest.newBuilder().setQueue("rbac").setType("noop").build();
        r.put("JobService/SubmitJob", submit);
        r.put("JobService/SubmitJobs", SubmitJobsRequest.newBuilder().addJobs(submit).build());
        r.put("JobService/GetJob", GetJobRequest.newBuilder().setId(NO_SUCH_JOB).build());
        r.put("JobService/ListJobs", ListJobsRequest.getDefaultInstance());
        r.put("JobService/WatchJob", WatchJobRequest.newBuilder().setId(NO_SUCH_JOB).build());
        r.put("JobService/ListJobEvents", ListJobEventsRequest.newBuilder().setJobId(NO_SUCH_JOB).build());
        r.put("JobService/CancelJob", CancelJobRequest.newBuilder().setId(NO_SUCH_JOB).build());
        r.put("JobService/RetryJob", RetryJobRequest.newBuilder().setId(NO_SUCH_JOB).build());
        r.put("QueueAdminService/ListQueues", ListQueuesRequest.getDefaultInstance());
        r.put("QueueAdminService/PauseQueue", PauseQueueRequest.newBuilder().setQueue("rbac-paused").build());
        r.put("QueueAdminService/ResumeQueue", ResumeQueueRequest.newBuilder().setQueue("rbac-paused").build());
        r.put("QueueAdminService/ListWorkers", ListWorkersRequest.getDefaultInstance());
        r.put("WorkerService/SubscribeWakeups", SubscribeWakeupsRequest.newBuilder().addQueues("rbac")
                .setWorkerId("rbac-test").build());
        r.put("RackService/ValidateRack", ValidateRackRequest.getDefaultInstance());
        r.put("RackService/GetRackStatus", GetRackStatusRequest.newBuilder().setRackId("r1").build());
        r.put("AuditService/ListAuditEvents", ListAuditEventsRequest.getDefaultInstance());
        return Map.copyOf(r);
    }
}
