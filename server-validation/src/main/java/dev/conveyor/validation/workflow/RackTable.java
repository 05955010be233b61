package dev.conveyor.validation.workflow;

import dev.conveyor.proto.v1.DeviceKind;
import dev.conveyor.proto.v1.JobState;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table for the rack commands: columns padded to their widest cell, long cells cut. */
final class RackTable {
    private static final int MAX_CELL = 60;

    private final List<String[]> rows = new ArrayList<>();

    RackTable(String... headers) {
        rows.add(headers);
    }

    void row(String... cells) {
        String[] cut = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i].replaceAll("\\s+", " ");
            cut[i] = cell.length() <= MAX_CELL ? cell : cell.substring(0, MAX_CELL - 1) + "…";
        }
        rows.add(cut);
    }

    static String kind(DeviceKind kind) {
        return switch (kind) {
            case DEVICE_KIND_SWITCH -> "switch";
            case DEVICE_KIND_PROVISIONING -> "provision";
            default -> "server";
        };
    }

    static String state(JobState state) {
        return state.name().replace("JOB_STATE_", "");
    }

    @Override
    public String toString() {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                s.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            s.append(System.lineSeparator());
        }
        return s.toString();
    }
}
