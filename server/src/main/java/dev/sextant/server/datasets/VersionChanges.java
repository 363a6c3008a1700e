package dev.sextant.server.datasets;

import java.util.List;

/** The items one version added, edited (content before and after) and deleted. */
public record VersionChanges(DatasetVersion version, List<DatasetItem> added, List<Edit> edited,
                             List<DatasetItem> deleted) {

    public record Edit(DatasetItem before, DatasetItem after) {
    }
}
