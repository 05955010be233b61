package dev.conveyor.server.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The console's script and style sheet, served from the jar: no CDN, nothing fetched at run time. */
final class StaticFiles {
    private static final Map<String, String> TYPES = Map.of(
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> files;

    StaticFiles() {
        files = TYPES.keySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(name -> name,
                StaticFiles::load));
    }

    /** @return false when there is no such file */
    boolean serve(Call call, String name) throws IOException {
        byte[] body = name == null ? null : files.get(name);
        if (body == null) {
            return false;
        }
        call.exchange().getResponseHeaders().set("Cache-Control", "no-cache");
        call.exchange().getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        call.send(200, TYPES.get(name), body);
        return true;
    }

    private static byte[] load(String name) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream("console/static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/static/" + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
