package dev.sextant.server.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.audit.AuditLog;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.PageOf;
import dev.sextant.server.projects.Project;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * Rules for datasets: names, versioning (every change is one new version, in one transaction with
 * its audit entry) and the stable identity of items across versions.
 */
public final class DatasetService {
    public static final int MAX_ITEMS_PER_CHANGE = 10_000;
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,99}");
    private static final int MAX_DESCRIPTION = 2_000;
    private static final int READ_PAGE = 1_000;

    private final DatasetStore store;
    private final AuditLog audit;
    private final Clock clock;

    public DatasetService(org.jdbi.v3.core.Jdbi jdbi, AuditLog audit, Clock clock) {
        this.store = new DatasetStore(jdbi);
        this.audit = audit;
        this.clock = clock;
    }

    /** Creates a dataset; its version 1 holds {@code items} (possibly none). */
    public Dataset create(Project project, String name, String description, List<ItemDraft> items, Principal actor) {
        String cleanName = validName(name);
        String cleanDescription = description == null ? "" : validDescription(description);
        checkSize(items.size());
        return store.jdbi().inTransaction(h -> {
            if (store.nameExists(h, project.id(), cleanName)) {
                throw ApiException.conflict("a dataset named '" + cleanName + "' already exists in this project");
            }
            Instant now = clock.instant();
            Dataset created = new Dataset(dev.sextant.server.db.Ids.newId(), project.id(), cleanName, cleanDescription,
                    0, 0, actor.actorLabel(), now, now);
            store.insert(h, created);
            audit.record(h, project.id(), actor.actorLabel(), "dataset.create", "dataset", created.id(),
                    Map.of("name", cleanName));
            Change change = new Change("create", "created" + (items.isEmpty() ? "" : " with " + count(items.size())));
            change.added.addAll(items);
            commit(h, created, change, actor);
            return store.byName(h, project.id(), cleanName).orElseThrow();
        });
    }

    /**
     * Renames a dataset and sets its description (null keeps either as is). Experiments that ran on
     * it follow the new name; code that fetches the dataset by its old name must be updated.
     */
    public Dataset update(Project project, String name, String newName, String description, Principal actor) {
        String cleanName = newName == null ? null : validName(newName);
        String cleanDescription = description == null ? null : validDescription(description);
        return store.jdbi().inTransaction(h -> {
            Dataset current = store.lockByName(h, project.id(), name)
                    .orElseThrow(() -> ApiException.notFound("dataset '" + name + "'"));
            String finalName = cleanName == null ? current.name() : cleanName;
            if (!finalName.equals(current.name()) && store.nameExists(h, project.id(), finalName)) {
                throw ApiException.conflict("a dataset named '" + finalName + "' already exists in this project");
            }
            String finalDescription = cleanDescription == null ? current.description() : cleanDescription;
            store.update(h, current, finalName, finalDescription, clock.instant());
            audit.record(h, project.id(), actor.actorLabel(), "dataset.update", "dataset", current.id(),
                    Map.of("name", finalName, "previousName", current.name()));
            return store.byName(h, project.id(), finalName).orElseThrow();
        });
    }

    /**
     * Deletes a dataset with every version and item. Refused (409) while experiments refer to it:
     * their results are read against its items.
     */
    public void delete(Project project, String name, Principal actor) {
        store.jdbi().useTransaction(h -> {
            Dataset current = store.lockByName(h, project.id(), name)
                    .orElseThrow(() -> ApiException.notFound("dataset '" + name + "'"));
            int experiments = store.experimentsUsing(h, current);
            if (experiments > 0) {
                throw ApiException.conflict("dataset '" + current.name() + "' is used by " + experiments
                        + (experiments == 1 ? " experiment" : " experiments") + ", whose results read its items; "
                        + "delete " + (experiments == 1 ? "it" : "them") + " first");
            }
            store.delete(h, current);
            audit.record(h, project.id(), actor.actorLabel(), "dataset.remove", "dataset", current.id(),
                    Map.of("name", current.name(), "items", current.itemCount()));
        });
    }

    /** How many experiments ran on the dataset (which keeps it from being deleted). */
    public int experimentsUsing(Dataset dataset) {
        return store.jdbi().withHandle(h -> store.experimentsUsing(h, dataset));
    }

    public Dataset get(Project project, String name) {
        return store.byName(project.id(), name).orElseThrow(() -> ApiException.notFound("dataset '" + name + "'"));
    }

    public PageOf<Dataset> list(Project project, String search, String cursor, int limit) {
        String query = search == null || search.isBlank() ? null : search.trim();
        List<Dataset> page = store.list(project.id(), query, Cursors.decode(cursor), limit + 1);
        return Cursors.page(page, limit, d -> Cursors.encode(d.name()));
    }

    /** The version to read: {@code requested}, or the latest when null; 404 if it does not exist. */
    public int resolveVersion(Dataset dataset, Integer requested) {
        if (requested == null) {
            return dataset.latestVersion();
        }
        if (requested < 1 || requested > dataset.latestVersion()) {
            throw ApiException.notFound("version " + requested + " of dataset '" + dataset.name() + "'");
        }
        return requested;
    }

    /** Items of one version, ordered by item id (the order they were added). */
    public PageOf<DatasetItem> items(Dataset dataset, int version, String cursor, int limit) {
        List<DatasetItem> page = store.items(dataset.id(), version, cursor, limit + 1);
        return Cursors.page(page, limit, DatasetItem::id);
    }

    /** Every item of one version (experiments; small datasets). */
    public List<DatasetItem> allItems(Dataset dataset, int version) {
        List<DatasetItem> all = new ArrayList<>();
        forEachPage(dataset, version, all::addAll);
        return all;
    }

    /** Hands every item of one version to {@code consumer}, a page at a time, so memory stays bounded. */
    public void forEachPage(Dataset dataset, int version, java.util.function.Consumer<List<DatasetItem>> consumer) {
        String cursor = null;
        do {
            List<DatasetItem> page = store.items(dataset.id(), version, cursor, READ_PAGE);
            if (!page.isEmpty()) {
                consumer.accept(page);
            }
            cursor = page.size() == READ_PAGE ? page.getLast().id() : null;
        } while (cursor != null);
    }

    public DatasetItem item(Dataset dataset, String itemId, int version) {
        return store.item(dataset.id(), itemId, version)
                .orElseThrow(() -> ApiException.notFound("item " + itemId + " in version " + version));
    }

    public PageOf<DatasetVersion> versions(Dataset dataset, String cursor, int limit) {
        Integer before = cursor == null || cursor.isBlank() ? null : parseVersionCursor(cursor);
        List<DatasetVersion> page = store.versions(dataset.id(), before, limit + 1);
        return Cursors.page(page, limit, v -> Integer.toString(v.version()));
    }

    public DatasetVersion version(Dataset dataset, int version) {
        return store.version(dataset.id(), version)
                .orElseThrow(() -> ApiException.notFound("version " + version + " of dataset '" + dataset.name() + "'"));
    }

    /**
     * What one version changed: items added, edited (before and after) and deleted. Lists are
     * capped at {@link DatasetStore#CHANGES_SHOWN} items each; the version's counts are exact.
     */
    public VersionChanges changes(Dataset dataset, int version) {
        DatasetVersion v = version(dataset, version);
        Map<String, DatasetItem> before = new LinkedHashMap<>();
        store.revisionsUntil(dataset.id(), version).forEach(i -> before.put(i.id(), i));
        List<DatasetItem> added = new ArrayList<>();
        List<VersionChanges.Edit> edited = new ArrayList<>();
        for (DatasetItem after : store.revisionsFrom(dataset.id(), version)) {
            DatasetItem old = before.remove(after.id());
            if (old == null) {
                added.add(after);
            } else {
                edited.add(new VersionChanges.Edit(old, after));
            }
        }
        return new VersionChanges(v, added, edited, List.copyOf(before.values()));
    }

    /** Adds items as one new version ({@code change} is "add" or "import"; the note shows in the history). */
    public VersionChange addItems(Project project, String dataset, List<ItemDraft> items, String change, String note,
                                  Principal actor) {
        if (items.isEmpty()) {
            throw ApiException.invalid("no items to add");
        }
        checkSize(items.size());
        Change c = new Change(change, note);
        c.added.addAll(items);
        return apply(project, dataset, c, actor);
    }

    /**
     * Promotes logged traces or spans into a dataset as one new version. Callers (the trace UI, bulk
     * promotion from a filtered list) resolve each trace into dataset fields first;
     * {@code mappingDescription} says how, e.g. {@code "input.question ← span input; expected ← corrected output"},
     * and is kept in the version history and the audit log.
     */
    public VersionChange addFromLogs(Project project, String dataset, List<LoggedExample> examples,
                                     String mappingDescription, Principal actor) {
        if (examples.isEmpty()) {
            throw ApiException.invalid("no traces to promote");
        }
        checkSize(examples.size());
        List<ItemDraft> drafts = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            drafts.add(examples.get(i).toDraft("records[" + i + "]"));
        }
        String note = "promoted " + count(drafts.size()) + " from logs"
                + (mappingDescription == null || mappingDescription.isBlank() ? "" : " (" + mappingDescription.trim() + ")");
        Change c = new Change("promote", note.length() > 500 ? note.substring(0, 500) : note);
        c.added.addAll(drafts);
        return apply(project, dataset, c, actor);
    }

    /**
     * Bulk promotion with a field mapping: each record is a logged trace or span rendered as JSON
     * (e.g. {@code {"traceId", "spanId", "input": {...}, "output": "...", "attributes": {...}}}) and
     * {@code mapping} picks the item fields from it, e.g. {@code {"input.question": "input.question",
     * "expected": "output", "sourceTraceId": "traceId", "sourceSpanId": "spanId"}}.
     */
    public VersionChange addFromLogs(Project project, String dataset, List<? extends JsonNode> records,
                                     FieldMapping mapping, Principal actor) {
        List<LoggedExample> examples = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            ItemDraft d = mapping.apply(records.get(i), "records[" + i + "]", false);
            examples.add(new LoggedExample(d.sourceTraceId(), d.sourceSpanId(), d.input(), d.messages(),
                    d.expectedOutput(), d.metadata()));
        }
        return addFromLogs(project, dataset, examples, mapping.describe(), actor);
    }

    /** Applies a partial update to one item; a patch that changes nothing creates no version. */
    public VersionChange editItem(Project project, String dataset, String itemId, JsonNode patch, Principal actor) {
        return store.jdbi().inTransaction(h -> {
            Dataset d = lockedDataset(h, project, dataset);
            DatasetItem current = store.currentItems(h, d.id(), List.of(itemId)).stream().findFirst()
                    .orElseThrow(() -> ApiException.notFound("item " + itemId + " in dataset '" + dataset + "'"));
            ItemDraft edited = current.content().patchedBy(patch, "item " + itemId);
            if (edited.equals(current.content())) {
                return new VersionChange(d.name(), d.latestVersion(), false, List.of(current));
            }
            Change c = new Change("edit", "edited item " + itemId + " (" + String.join(", ", changedFields(current.content(), edited)) + ")");
            c.edited.put(itemId, edited);
            return commit(h, d, c, actor);
        });
    }

    /** Deletes items (all or none: unknown ids are an error) as one new version. */
    public VersionChange deleteItems(Project project, String dataset, List<String> itemIds, Principal actor) {
        Set<String> ids = new LinkedHashSet<>(itemIds == null ? List.of() : itemIds);
        ids.remove(null);
        if (ids.isEmpty()) {
            throw ApiException.invalid("ids: give at least one item id to delete");
        }
        checkSize(ids.size());
        Change c = new Change("delete", "deleted " + count(ids.size()));
        c.deleted.addAll(ids);
        return apply(project, dataset, c, actor);
    }

    private VersionChange apply(Project project, String dataset, Change change, Principal actor) {
        return store.jdbi().inTransaction(h -> commit(h, lockedDataset(h, project, dataset), change, actor));
    }

    private Dataset lockedDataset(Handle h, Project project, String name) {
        return store.lockByName(h, project.id(), name)
                .orElseThrow(() -> ApiException.notFound("dataset '" + name + "'"));
    }

    /** Writes one version: closes the revisions of edited and deleted items, inserts the new ones. */
    private VersionChange commit(Handle h, Dataset dataset, Change change, Principal actor) {
        Set<String> touched = new LinkedHashSet<>(change.edited.keySet());
        touched.addAll(change.deleted);
        List<DatasetItem> current = touched.isEmpty() ? List.of() : store.currentItems(h, dataset.id(), touched);
        if (current.size() != touched.size()) {
            Set<String> missing = new LinkedHashSet<>(touched);
            current.forEach(i -> missing.remove(i.id()));
            throw ApiException.invalid("unknown item ids in dataset '" + dataset.name() + "': "
                    + String.join(", ", missing.stream().limit(10).toList()));
        }
        Instant now = clock.instant();
        int itemCount = dataset.itemCount() + change.added.size() - change.deleted.size();
        int version = store.nextVersion(h, dataset.id(), itemCount, now);
        store.closeRevisions(h, dataset.id(), touched, version);
        List<DatasetItem> written = new ArrayList<>();
        for (ItemDraft draft : change.added) {
            written.add(revision(DatasetStore.newItemId(), version, draft, actor, now));
        }
        change.edited.forEach((id, draft) -> written.add(revision(id, version, draft, actor, now)));
        store.insertRevisions(h, dataset.id(), version, written);
        store.insertVersion(h, dataset.id(), new DatasetVersion(version, change.kind, change.note, change.added.size(),
                change.edited.size(), change.deleted.size(), itemCount, actor.actorLabel(), now));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("name", dataset.name());
        summary.put("version", version);
        summary.put("note", change.note);
        audit.record(h, dataset.projectId(), actor.actorLabel(), "dataset." + change.kind, "dataset", dataset.id(),
                summary);
        return new VersionChange(dataset.name(), version, true, written);
    }

    private static DatasetItem revision(String id, int version, ItemDraft d, Principal actor, Instant now) {
        return new DatasetItem(id, version, d.input(), d.messages(), d.expectedOutput(), d.metadata(),
                d.sourceTraceId(), d.sourceSpanId(), actor.actorLabel(), now);
    }

    private static List<String> changedFields(ItemDraft before, ItemDraft after) {
        List<String> fields = new ArrayList<>();
        if (!before.input().equals(after.input())) {
            fields.add("input");
        }
        if (!java.util.Objects.equals(before.messages(), after.messages())) {
            fields.add("messages");
        }
        if (!java.util.Objects.equals(before.expectedOutput(), after.expectedOutput())) {
            fields.add("expected output");
        }
        if (!before.metadata().equals(after.metadata())) {
            fields.add("metadata");
        }
        if (!java.util.Objects.equals(before.sourceTraceId(), after.sourceTraceId())
                || !java.util.Objects.equals(before.sourceSpanId(), after.sourceSpanId())) {
            fields.add("source");
        }
        return fields;
    }

    private static String validDescription(String description) {
        String clean = description.trim();
        if (clean.length() > MAX_DESCRIPTION) {
            throw ApiException.invalid("description must have at most " + MAX_DESCRIPTION + " characters");
        }
        return clean;
    }

    static String validName(String name) {
        String clean = name == null ? "" : name.trim();
        if (clean.isEmpty()) {
            throw ApiException.invalid("name is required");
        }
        if (!NAME.matcher(clean).matches()) {
            throw ApiException.invalid("name must be 1-100 letters, digits, spaces, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
        return clean;
    }

    private static void checkSize(int size) {
        if (size > MAX_ITEMS_PER_CHANGE) {
            throw ApiException.invalid("at most " + MAX_ITEMS_PER_CHANGE + " items per change; split the request");
        }
    }

    private static Integer parseVersionCursor(String cursor) {
        try {
            return Integer.parseInt(cursor.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid cursor");
        }
    }

    static String count(int n) {
        return n + (n == 1 ? " item" : " items");
    }

    /** What one version does. */
    private static final class Change {
        final String kind;
        final String note;
        final List<ItemDraft> added = new ArrayList<>();
        final Map<String, ItemDraft> edited = new LinkedHashMap<>();
        final Set<String> deleted = new LinkedHashSet<>();

        Change(String kind, String note) {
            this.kind = kind;
            this.note = note;
        }
    }
}
