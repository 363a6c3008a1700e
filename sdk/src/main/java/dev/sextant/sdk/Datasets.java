package dev.sextant.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads datasets ({@code GET /api/datasets/{name}/items}); failures throw {@link SextantException}. */
public final class Datasets {
    private static final int PAGE = 500;
    private final ApiClient api;

    Datasets(ApiClient api) {
        this.api = api;
    }

    /** The latest version with all its items. */
    public Dataset get(String name) {
        return fetch(name, null);
    }

    /** A fixed version (versions never change) with all its items. */
    public Dataset get(String name, int version) {
        return fetch(name, version);
    }

    @SuppressWarnings("unchecked")
    private Dataset fetch(String name, Integer version) {
        List<DatasetItem> items = new ArrayList<>();
        Integer resolved = version;
        String cursor = null;
        do {
            StringBuilder path = new StringBuilder("/api/datasets/").append(ApiClient.encode(name))
                    .append("/items?limit=").append(PAGE);
            if (resolved != null) {
                path.append("&version=").append(resolved);
            }
            if (cursor != null) {
                path.append("&cursor=").append(ApiClient.encode(cursor));
            }
            Map<String, Object> page = api.get(path.toString());
            // Pin the version the first page was read from, so later pages cannot see a newer one.
            resolved = page.get("version") instanceof Number n ? n.intValue() : resolved;
            if (page.get("data") instanceof List<?> data) {
                for (Object item : data) {
                    if (item instanceof Map<?, ?> m) {
                        items.add(DatasetItem.fromJson((Map<String, Object>) m, "id"));
                    }
                }
            }
            cursor = page.get("nextCursor") instanceof String s && !s.isEmpty() ? s : null;
        } while (cursor != null);
        return new Dataset(name, resolved == null ? 0 : resolved, items);
    }
}
