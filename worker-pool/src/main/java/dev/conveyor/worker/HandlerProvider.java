package dev.conveyor.worker;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The SPI through which a job family brings its handlers: implement it, list the class in
 * {@code META-INF/services/dev.conveyor.worker.HandlerProvider}, and a worker daemon that finds the
 * module on its class path serves the family's job types.
 */
public interface HandlerProvider {

    /** The family's handlers by job type. */
    Map<String, JobHandler> handlers(HandlerContext context);

    /**
     * The handlers of every provider on the class path, merged.
     *
     * @throws IllegalStateException when two providers claim the same job type
     */
    static Map<String, JobHandler> discover(HandlerContext context) {
        Map<String, JobHandler> all = new TreeMap<>();
        Map<String, String> claimedBy = new TreeMap<>();
        for (HandlerProvider provider : ServiceLoader.load(HandlerProvider.class)) {
            String name = provider.getClass().getName();
            provider.handlers(context).forEach((type, handler) -> {
                String earlier = claimedBy.putIfAbsent(type, name);
                if (earlier != null) {
                    throw new IllegalStateException("job type '" + type + "' has handlers in both " + earlier
                            + " and " + name);
                }
                all.put(type, handler);
            });
        }
        return all;
    }
}
