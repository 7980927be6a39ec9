package io.hotswap.query.plugin;

import io.hotswap.api.page.PageRequest;
import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.PluginMetadata;
import io.hotswap.api.plugin.PluginVersionStatus;
import io.hotswap.api.plugin.PluginVersionView;
import io.hotswap.api.plugin.PluginView;
import io.hotswap.api.semver.SemanticVersion;
import io.hotswap.query.JsonColumns;
import io.hotswap.query.ReadModelWrites;
import io.hotswap.query.Where;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code plugin_view} and {@code plugin_version_view} tables: the catalogue. */
@Component // not a @Repository: see ReadModelWrites
public class PluginCatalogue {

    /** Newest version first, by semantic version order (a release ranks above its pre-releases). */
    private static final String VERSION_ORDER =
            "major DESC, minor DESC, patch DESC, (pre_release = '') DESC, pre_release DESC";

    private final JdbcClient jdbc;
    private final ReadModelWrites writes;
    private final JsonColumns json;
    private final RowMapper<PluginVersionView> versionRow;

    public PluginCatalogue(JdbcClient jdbc, ReadModelWrites writes, JsonColumns json) {
        this.jdbc = jdbc;
        this.writes = writes;
        this.json = json;
        this.versionRow = (rs, n) -> new PluginVersionView(rs.getString("plugin_id"), rs.getString("version"),
                PluginVersionStatus.valueOf(rs.getString("status")), rs.getString("sha256"), rs.getLong("size_bytes"),
                json.read(rs.getString("metadata"), PluginMetadata.class), rs.getTimestamp("registered_at").toInstant());
    }

    public void insertPlugin(String pluginId, String name, Instant at) {
        writes.write("INSERT INTO plugin_view (plugin_id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (plugin_id) DO NOTHING",
                pluginId, name, Timestamp.from(at));
    }

    public void insertVersion(String pluginId, String version, PluginBinary binary, PluginMetadata metadata, Instant at) {
        SemanticVersion semver = SemanticVersion.parse(version);
        writes.write("""
                INSERT INTO plugin_version_view (plugin_id, version, major, minor, patch, pre_release, status, sha256,
                                                 size_bytes, storage_key, metadata, registered_at)
                VALUES (?, ?, ?, ?, ?, ?, 'Active', ?, ?, ?, ?::jsonb, ?)
                ON CONFLICT (plugin_id, version) DO NOTHING""",
                pluginId, version, semver.major(), semver.minor(), semver.patch(), semver.preRelease(),
                binary.sha256(), binary.sizeBytes(), binary.storageKey(), json.write(metadata), Timestamp.from(at));
    }

    public void updateVersionStatus(String pluginId, String version, PluginVersionStatus status) {
        writes.write("UPDATE plugin_version_view SET status = ? WHERE plugin_id = ? AND version = ?",
                status.name(), pluginId, version);
    }

    public Optional<PluginView> find(String pluginId) {
        return jdbc.sql("SELECT plugin_id, name, created_at FROM plugin_view WHERE plugin_id = ?").param(pluginId)
                .query((rs, n) -> plugin(rs.getString("plugin_id"), rs.getString("name"),
                        rs.getTimestamp("created_at").toInstant(), versions(pluginId)))
                .optional();
    }

    public Optional<PluginVersionView> findVersion(String pluginId, String version) {
        return jdbc.sql("SELECT * FROM plugin_version_view WHERE plugin_id = ? AND version = ?")
                .params(pluginId, version).query(versionRow).optional();
    }

    /** Where a version's binary is stored, for downloads. */
    public Optional<PluginBinary> findBinary(String pluginId, String version) {
        return jdbc.sql("SELECT storage_key, sha256, size_bytes FROM plugin_version_view WHERE plugin_id = ? AND version = ?")
                .params(pluginId, version)
                .query((rs, n) -> new PluginBinary(rs.getString("storage_key"), rs.getString("sha256"), rs.getLong("size_bytes")))
                .optional();
    }

    /** Every version's binary as registered, by plugin and newest version first: what the store must hold. */
    public List<CataloguedBinary> binaries() {
        return jdbc.sql("SELECT plugin_id, version, storage_key, sha256, size_bytes FROM plugin_version_view"
                        + " ORDER BY plugin_id, " + VERSION_ORDER)
                .query((rs, n) -> new CataloguedBinary(rs.getString("plugin_id"), rs.getString("version"),
                        new PluginBinary(rs.getString("storage_key"), rs.getString("sha256"), rs.getLong("size_bytes"))))
                .list();
    }

    /** One version's binary, for {@link #binaries()}. */
    public record CataloguedBinary(String pluginId, String version, PluginBinary binary) {
    }

    /**
     * The rows of one page by plugin id, each with its newest version only, and the one past it if another follows;
     * keyset on the primary key. {@code search} matches id or name.
     */
    public List<PluginView> list(String search, PageRequest page) {
        Where where = matching(search);
        if (page.after() != null) where.and("p.plugin_id > ?", page.after().get(0));
        return jdbc.sql("SELECT p.plugin_id, p.name, p.created_at FROM plugin_view p" + where.sql()
                        + " ORDER BY p.plugin_id LIMIT ? OFFSET ?")
                .params(where.params(page.limit(), page.offset()))
                .query((rs, n) -> {
                    String id = rs.getString("plugin_id");
                    return plugin(id, rs.getString("name"), rs.getTimestamp("created_at").toInstant(), newest(id));
                })
                .list();
    }

    public long count(String search) {
        Where where = matching(search);
        return jdbc.sql("SELECT count(*) FROM plugin_view p" + where.sql()).params(where.params()).query(Long.class).single();
    }

    /** The sort key of a plugin as a cursor carries it. */
    public static List<String> key(PluginView plugin) {
        return List.of(plugin.pluginId());
    }

    private static Where matching(String search) {
        String pattern = search == null ? "%" : "%" + search.toLowerCase().replace("\\", "\\\\")
                .replace("%", "\\%").replace("_", "\\_") + "%";
        return new Where().and("(lower(p.plugin_id) LIKE ? OR lower(p.name) LIKE ?)", pattern, pattern);
    }

    private List<PluginVersionView> versions(String pluginId) {
        return jdbc.sql("SELECT * FROM plugin_version_view WHERE plugin_id = ? ORDER BY " + VERSION_ORDER)
                .param(pluginId).query(versionRow).list();
    }

    private List<PluginVersionView> newest(String pluginId) {
        return jdbc.sql("SELECT * FROM plugin_version_view WHERE plugin_id = ? ORDER BY " + VERSION_ORDER + " LIMIT 1")
                .param(pluginId).query(versionRow).list();
    }

    private static PluginView plugin(String id, String name, Instant createdAt, List<PluginVersionView> versions) {
        return new PluginView(id, name, versions.isEmpty() ? null : versions.get(0).version(), createdAt, versions);
    }

    public void deleteAll() {
        jdbc.sql("DELETE FROM plugin_version_view").update();
        jdbc.sql("DELETE FROM plugin_view").update();
    }
}
