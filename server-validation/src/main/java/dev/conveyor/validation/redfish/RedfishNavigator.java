package dev.conveyor.validation.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Walks the resource tree by its links, as DSP0266 asks of clients: member URLs come from a
 * collection's {@code Members}, never from guessing ({@code /Systems/1} is a convention some BMCs
 * break), and a collection may be paged with {@code Members@odata.nextLink}.
 */
final class RedfishNavigator {
    /** A bound on paging, so a BMC that links a page to itself cannot keep a worker forever. */
    private static final int MAX_PAGES = 100;

    private final RedfishHttp http;

    RedfishNavigator(RedfishHttp http) {
        this.http = http;
    }

    Resource fetch(String odataId) {
        URI uri = http.resolve(odataId);
        return new Resource(uri, http.get(uri, true));
    }

    /**
     * The members of a collection, fetching each one unless the BMC sent it expanded inline (as
     * log entry collections usually are).
     */
    List<Resource> members(String collectionOdataId) {
        List<Resource> members = new ArrayList<>();
        forEachMember(collectionOdataId, (collection, member) -> members.add(resolveMember(collection, member)));
        return members;
    }

    /** The {@code @odata.id} of every member of a collection, without fetching the members. */
    List<String> memberLinks(String collectionOdataId) {
        List<String> links = new ArrayList<>();
        forEachMember(collectionOdataId, (collection, member) -> links.add(odataIdOf(collection, member)));
        return links;
    }

    /**
     * Visits every member of every page. DSP0266 names the link to the next page
     * {@code Members@odata.nextLink}; some services send the OData-level {@code @odata.nextLink}
     * instead, so either is followed.
     */
    private void forEachMember(String collectionOdataId, BiConsumer<Resource, JsonNode> visitor) {
        Set<URI> seenPages = new HashSet<>();
        String page = collectionOdataId;
        while (page != null) {
            Resource collection = fetch(page);
            if (!seenPages.add(collection.uri()) || seenPages.size() > MAX_PAGES) {
                throw new RedfishProtocolException(collection.uri(), 0, "collection paging loops or exceeds "
                        + MAX_PAGES + " pages", null);
            }
            JsonNode list = collection.node().path("Members");
            if (!list.isArray()) {
                throw new RedfishProtocolException(collection.uri(), 0, "collection has no Members array", null);
            }
            for (JsonNode member : list) {
                visitor.accept(collection, member);
            }
            String next = collection.text("Members@odata.nextLink");
            if (next.isEmpty()) {
                next = collection.text("@odata.nextLink");
            }
            page = next.isEmpty() ? null : next;
        }
    }

    /** Fetches every document a list of links points to ({@code "Drives": [{"@odata.id": …}]}). */
    List<Resource> linked(Resource owner, String property) {
        List<Resource> targets = new ArrayList<>();
        for (JsonNode link : owner.node().path(property)) {
            targets.add(resolveMember(owner, link));
        }
        return targets;
    }

    private Resource resolveMember(Resource owner, JsonNode member) {
        String odataId = odataIdOf(owner, member);
        boolean linkOnly = member.size() == 1;
        return linkOnly ? fetch(odataId) : new Resource(http.resolve(odataId), member);
    }

    private static String odataIdOf(Resource owner, JsonNode member) {
        String odataId = member.path("@odata.id").asText("");
        if (odataId.isEmpty()) {
            throw new RedfishProtocolException(owner.uri(), 0, "a member has no @odata.id", null);
        }
        return odataId;
    }
}
