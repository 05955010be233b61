package dev.conveyor.server.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one way commands print results: a human table by default, or, with {@code --output json},
 * the API's own message in proto3 JSON (the same field names as {@code grpcurl} shows), so a
 * script sees exactly what the server answered.
 */
final class Output {
    enum Format { TABLE, JSON }

    private static final JsonFormat.Printer PRETTY = JsonFormat.printer();
    private static final JsonFormat.Printer ONE_LINE = JsonFormat.printer().omittingInsignificantWhitespace();

    private final PrintWriter out;
    private final Format format;

    Output(PrintWriter out, Format format) {
        this.out = out;
        this.format = format;
    }

    boolean isJson() {
        return format == Format.JSON;
    }

    /** A whole result: the message as JSON, or the table a command made of it. */
    void print(MessageOrBuilder message, Table table) {
        if (isJson()) {
            out.println(json(PRETTY, message));
        } else {
            table.render(out);
        }
        out.flush();
    }

    /** One item of a stream: one compact JSON object per line, or one line of text. */
    void printItem(MessageOrBuilder message, String line) {
        out.println(isJson() ? json(ONE_LINE, message) : line);
        out.flush();
    }

    /** A remark for people (such as how to get the next page); JSON output carries it in the message. */
    void note(String line) {
        if (!isJson()) {
            out.println(line);
            out.flush();
        }
    }

    private static String json(JsonFormat.Printer printer, MessageOrBuilder message) {
        try {
            return JsonNumbers.of(printer.print(message), message.getDescriptorForType(), printer == PRETTY);
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(new IOException("cannot print the server's answer as JSON", e));
        }
    }

    /** Columns aligned to their widest cell; empty cells print as "-". */
    static final class Table {
        private final List<String> headers;
        private final List<List<String>> rows = new ArrayList<>();

        Table(String... headers) {
            this.headers = List.of(headers);
        }

        Table row(Object... cells) {
            if (cells.length != headers.size()) {
                throw new IllegalArgumentException("a row needs " + headers.size() + " cells, got " + cells.length);
            }
            rows.add(Arrays.stream(cells).map(Table::cell).toList());
            return this;
        }

        private static String cell(Object value) {
            String s = value == null ? "" : value.toString().replaceAll("\\s+", " ");
            return s.isEmpty() ? "-" : s;
        }

        void render(PrintWriter out) {
            int[] widths = new int[headers.size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = headers.get(i).length();
                for (List<String> row : rows) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            }
            line(out, headers, widths);
            rows.forEach(row -> line(out, row, widths));
        }

        private static void line(PrintWriter out, List<String> cells, int[] widths) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) {
                    sb.append("  ");
                }
                sb.append(cells.get(i));
                if (i < cells.size() - 1) {
                    sb.append(" ".repeat(widths[i] - cells.get(i).length()));
                }
            }
            out.println(sb);
        }
    }
}
