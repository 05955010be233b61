package dev.conveyor.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request refused for its size, instead of grpc-java's own warning with an
 * 18-line stack trace per call (which a client could use to flood the log).
 *
 * <p>The deframer refuses an oversize message before any interceptor sees the call, so the one
 * place to learn of it is the stream's end: a stream closed RESOURCE_EXHAUSTED by the deframer.
 * The caller still gets RESOURCE_EXHAUSTED naming the limit; grpc's own warning is silenced.
 */
final class OversizeRequests extends ServerStreamTracer.Factory {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(OversizeRequests.class);
    /** grpc-java's logger of deframing failures (java.util.logging); held so its level stays set. */
    private static final Logger DEFRAMER_LOG =
            Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");

    OversizeRequests() {
        DEFRAMER_LOG.setLevel(Level.OFF);
    }

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        return new ServerStreamTracer() {
            private long inboundBytes;

            @Override
            public void inboundWireSize(long bytes) {
                inboundBytes += bytes;
            }

            @Override
            public void streamClosed(Status status) {
                String description = status.getDescription();
                if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && description != null
                        && description.contains("exceeds maximum")) {
                    log.warn("{}: request refused, {} ({} bytes read)", fullMethodName, description, inboundBytes);
                }
            }
        };
    }
}
