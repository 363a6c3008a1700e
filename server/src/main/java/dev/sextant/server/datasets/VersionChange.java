package dev.sextant.server.datasets;

import java.util.List;

/** The outcome of a change: the new version (unchanged when nothing changed) and the items it touched. */
public record VersionChange(String dataset, int version, boolean changed, List<DatasetItem> items) {
}
