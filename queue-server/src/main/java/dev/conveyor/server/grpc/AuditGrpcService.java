package dev.conveyor.server.grpc;

import dev.conveyor.core.AuditRecord;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobQuery;
import dev.conveyor.core.QueueManager;
import dev.conveyor.proto.v1.AuditEvent;
import dev.conveyor.proto.v1.AuditServiceGrpc;
import dev.conveyor.proto.v1.ListAuditEventsRequest;
import dev.conveyor.proto.v1.ListAuditEventsResponse;
import dev.conveyor.server.security.Identity;
import io.grpc.stub.StreamObserver;
import java.util.List;

/** {@code conveyor.v1.AuditService}: the audit log, newest first, a page at a time. */
public final class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase {
    private final QueueManager queues;
    private final PageTokens pageTokens;

    public AuditGrpcService(QueueManager queues, PageTokens pageTokens) {
        this.queues = queues;
        this.pageTokens = pageTokens;
    }

    @Override
    public void listAuditEvents(ListAuditEventsRequest request, StreamObserver<ListAuditEventsResponse> response) {
        Rpc.unary(response, () -> {
            String actor = request.getActor().isEmpty() ? null : request.getActor();
            if (actor != null && !Identity.isValidName(actor)) {
                throw new InvalidRequestException("actor", "must be an identity name ([A-Za-z0-9][A-Za-z0-9_.@:-]{0,127})");
            }
            int pageSize = RequestRules.pageSize(request.getPageSize(), JobQuery.DEFAULT_PAGE_SIZE);
            String scope = "ListAuditEvents:" + request.getActor();
            Long before = request.getPageToken().isEmpty() ? null : pageTokens.open(request.getPageToken(), scope);
            List<AuditRecord> records = queues.auditLog(actor, before, pageSize);
            ListAuditEventsResponse.Builder out = ListAuditEventsResponse.newBuilder();
            records.forEach(r -> out.addEvents(event(r)));
            if (records.size() == pageSize) {
                out.setNextPageToken(pageTokens.issue(records.getLast().id(), scope));
            }
            return out.build();
        });
    }

    private static AuditEvent event(AuditRecord r) {
        AuditEvent.Builder b = AuditEvent.newBuilder().setId(r.id()).setTime(JobMapper.timestamp(r.at()))
                .setActor(r.actor()).setAction(r.action()).setOutcome(r.outcome());
        if (r.roles() != null) {
            b.setRoles(r.roles());
        }
        if (r.target() != null) {
            b.setTarget(r.target());
        }
        if (r.detail() != null) {
            b.setDetail(r.detail());
        }
        if (r.remote() != null) {
            b.setRemote(r.remote());
        }
        return b.build();
    }
}
