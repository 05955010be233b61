package dev.conveyor.server.grpc;

import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.NewJob;
import dev.conveyor.core.QueueManager;
import dev.conveyor.server.security.Caller;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A caller may attach a child to, or make a job depend on, only jobs it may read (issue 12): a
 * submitter only its own. A job it may not read is refused in the very words the submission uses
 * for a job that does not exist, so the refusal tells it nothing about other identities' jobs.
 * Checked before the submission's transaction: {@code created_by} never changes, and a job pruned
 * meanwhile is refused by the submission itself.
 */
final class JobReferences {
    private JobReferences() {
    }

    static void requireReadable(QueueManager queues, List<NewJob> jobs) {
        if (Caller.mayReadEveryJob()) {
            return;
        }
        Set<Long> referenced = new LinkedHashSet<>();
        for (NewJob job : jobs) {
            if (job.parentId() != null) {
                referenced.add(job.parentId());
            }
            referenced.addAll(job.dependsOn());
        }
        if (referenced.isEmpty()) {
            return;
        }
        Map<Long, Optional<String>> creators = queues.creators(referenced);
        for (NewJob job : jobs) {
            if (job.parentId() != null && !readable(creators, job.parentId())) {
                throw new InvalidRequestException("parent_id", "job " + job.parentId() + " does not exist");
            }
            for (long dependency : job.dependsOn()) {
                if (!readable(creators, dependency)) {
                    throw new InvalidRequestException("depends_on", "job " + dependency + " does not exist");
                }
            }
        }
    }

    private static boolean readable(Map<Long, Optional<String>> creators, long jobId) {
        Optional<String> creator = creators.get(jobId);
        return creator != null && Caller.mayRead(creator.orElse(null));
    }
}
