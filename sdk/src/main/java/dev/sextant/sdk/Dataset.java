package dev.sextant.sdk;

import java.util.List;

/** A dataset version with all its items, in the order they were added. */
public record Dataset(String name, int version, List<DatasetItem> items) {
    public Dataset {
        items = List.copyOf(items);
    }
}
