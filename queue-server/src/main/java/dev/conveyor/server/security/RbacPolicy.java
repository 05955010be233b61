package dev.conveyor.server.security;

import static dev.conveyor.server.security.Role.ADMIN;
import static dev.conveyor.server.security.Role.OPERATOR;
import static dev.conveyor.server.security.Role.SUBMITTER;
import static dev.conveyor.server.security.Role.TECHNICIAN;

import dev.conveyor.proto.v1.AuditServiceGrpc;
import dev.conveyor.proto.v1.JobServiceGrpc;
import dev.conveyor.proto.v1.QueueAdminServiceGrpc;
import dev.conveyor.proto.v1.RackServiceGrpc;
import dev.conveyor.proto.v1.WorkerServiceGrpc;
import io.grpc.MethodDescriptor;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which roles may call which RPC: the one table that {@code docs/security.md} reproduces. An RPC
 * that is not in it is refused to everyone, admins included, so a new service is closed until
 * someone decides who may call it. Health and reflection are open (no credentials needed).
 *
 * <p>A submitter reads only its own jobs: the jobs whose {@code created_by} is its name
 * ({@link OwnJobsInterceptor}).
 */
public final class RbacPolicy {

    /**
     * @param roles    who may call it
     * @param mutating whether it changes something: its refusals are written to the audit log
     */
    public record Rule(Set<Role> roles, boolean mutating) {
        public Rule {
            roles = Set.copyOf(roles);
        }
    }

    private static final Set<String> OPEN_SERVICES = Set.of("grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");

    private static final Map<String, Rule> RULES = table();
    private static final Set<Role> READ_EVERY_JOB = EnumSet.of(TECHNICIAN, OPERATOR, ADMIN);

    private RbacPolicy() {
    }

    private static Map<String, Rule> table() {
        Map<String, Rule> t = new LinkedHashMap<>();
        put(t, JobServiceGrpc.getSubmitJobMethod(), true, SUBMITTER, ADMIN);
        put(t, JobServiceGrpc.getSubmitJobsMethod(), true, SUBMITTER, ADMIN);
        put(t, JobServiceGrpc.getGetJobMethod(), false, SUBMITTER, TECHNICIAN, OPERATOR, ADMIN);
        put(t, JobServiceGrpc.getListJobsMethod(), false, SUBMITTER, TECHNICIAN, OPERATOR, ADMIN);
        put(t, JobServiceGrpc.getWatchJobMethod(), false, SUBMITTER, TECHNICIAN, OPERATOR, ADMIN);
        put(t, JobServiceGrpc.getListJobEventsMethod(), false, SUBMITTER, TECHNICIAN, OPERATOR, ADMIN);
        put(t, JobServiceGrpc.getCancelJobMethod(), true, OPERATOR, ADMIN);
        put(t, JobServiceGrpc.getRetryJobMethod(), true, OPERATOR, ADMIN);
        put(t, QueueAdminServiceGrpc.getListQueuesMethod(), false, TECHNICIAN, OPERATOR, ADMIN);
        put(t, QueueAdminServiceGrpc.getPauseQueueMethod(), true, OPERATOR, ADMIN);
        put(t, QueueAdminServiceGrpc.getResumeQueueMethod(), true, OPERATOR, ADMIN);
        put(t, QueueAdminServiceGrpc.getListWorkersMethod(), false, OPERATOR, ADMIN);
        // Worker daemons subscribe with an operator identity (ideally a client certificate).
        put(t, WorkerServiceGrpc.getSubscribeWakeupsMethod(), false, OPERATOR, ADMIN);
        put(t, RackServiceGrpc.getValidateRackMethod(), true, TECHNICIAN, OPERATOR, ADMIN);
        put(t, RackServiceGrpc.getGetRackStatusMethod(), false, TECHNICIAN, OPERATOR, ADMIN);
        put(t, AuditServiceGrpc.getListAuditEventsMethod(), false, OPERATOR, ADMIN);
        return Map.copyOf(t);
    }

    private static void put(Map<String, Rule> table, MethodDescriptor<?, ?> method, boolean mutating, Role... roles) {
        table.put(method.getFullMethodName(), new Rule(EnumSet.of(roles[0], roles), mutating));
    }

    /** Whether the RPC needs no credentials at all. */
    public static boolean isOpen(String fullMethodName) {
        return OPEN_SERVICES.contains(MethodDescriptor.extractFullServiceName(fullMethodName));
    }

    /** The rule for an RPC; empty for one that is not in the table (refused to everyone). */
    public static Optional<Rule> rule(String fullMethodName) {
        return Optional.ofNullable(RULES.get(fullMethodName));
    }

    /** Every RPC in the table and its rule. */
    public static Map<String, Rule> rules() {
        return RULES;
    }

    public static boolean allows(Identity identity, String fullMethodName) {
        return rule(fullMethodName).map(r -> identity.roles().stream().anyMatch(r.roles()::contains)).orElse(false);
    }

    /** Whether {@code identity} reads every job; otherwise (a submitter) only the jobs it submitted. */
    public static boolean readsEveryJob(Identity identity) {
        return identity.roles().stream().anyMatch(READ_EVERY_JOB::contains);
    }

    /** Whether the RPC changes something and its refusals are audited. */
    public static boolean isMutating(String fullMethodName) {
        return rule(fullMethodName).map(Rule::mutating).orElse(false);
    }
}
