package dev.conveyor.server.security;

import dev.conveyor.core.Audit;
import dev.conveyor.core.QueueManager;
import dev.conveyor.family.CallerContext;
import io.grpc.Context;

/**
 * The caller of the RPC being served: its identity, the RPC, and its address. The
 * {@link AuthInterceptor} puts it in the call's {@link Context}; services read it to record
 * {@code created_by} and to make their changes through an audited view of the queue.
 */
public record Caller(Identity identity, String action, String remote) {
    static final Context.Key<Caller> KEY = Context.key("conveyor-caller");

    /** The caller of the current call; null when the server runs without authentication. */
    public static Caller current() {
        return KEY.get();
    }

    /**
     * {@code queues} as the current caller: its mutating calls write their audit record in the
     * transaction of the change, and the jobs they create are charged to the caller's submit rate
     * ({@link RateLimits}); failed calls are recorded by the {@link FailureAudit} with their
     * request's target. Outside a call (no caller), {@code queues} itself.
     */
    public static QueueManager queues(QueueManager queues) {
        Caller caller = current();
        return caller == null ? queues
                : queues.as(caller.audit()).withQuota(RateLimits.current()).failuresAuditedByCaller();
    }

    /**
     * The name a submitted job records as {@code created_by}, which also scopes its idempotency
     * key: {@value Identity#ANONYMOUS_NAME} without authentication; null outside a call.
     */
    public static String name() {
        Caller caller = current();
        return caller == null ? null : caller.identity().name();
    }

    /** The current caller for a job family's services (see {@link CallerContext}). */
    public static CallerContext forFamilies() {
        return new CallerContext() {
            @Override
            public QueueManager queue(QueueManager queues) {
                return queues(queues);
            }

            @Override
            public String name() {
                return Caller.name();
            }
        };
    }

    /**
     * Whether this caller may read every job: a technician, operator or admin. A submitter reads
     * only the jobs it submitted ({@link OwnJobsInterceptor}).
     */
    public boolean readsEveryJob() {
        return RbacPolicy.readsEveryJob(identity);
    }

    /** Whether the current call may read every job: without authentication, or as a reader of every job. */
    public static boolean mayReadEveryJob() {
        Caller caller = current();
        return caller == null || caller.readsEveryJob();
    }

    /** Whether the current call may read a job submitted by {@code createdBy}; every job without authentication. */
    public static boolean mayRead(String createdBy) {
        Caller caller = current();
        return caller == null || caller.readsEveryJob() || caller.identity().name().equals(createdBy);
    }

    public Audit audit() {
        return new Audit(identity.name(), identity.roleLabels(), action, remote);
    }
}
