package io.hotswap.rest.plugin;

import io.hotswap.api.error.Input;
import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.error.NotFoundException;
import io.hotswap.api.error.PayloadTooLargeException;
import io.hotswap.api.page.PageCursor;
import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.api.plugin.ChangePluginVersionStatusCommand;
import io.hotswap.api.plugin.FindPluginBinaryQuery;
import io.hotswap.api.plugin.FindPluginQuery;
import io.hotswap.api.plugin.FindPluginVersionQuery;
import io.hotswap.api.plugin.ListPluginsQuery;
import io.hotswap.api.plugin.PluginBinary;
import io.hotswap.api.plugin.PluginMetadata;
import io.hotswap.api.plugin.PluginPage;
import io.hotswap.api.plugin.PluginVersionRegistration;
import io.hotswap.api.plugin.PluginVersionStatus;
import io.hotswap.api.plugin.PluginVersionView;
import io.hotswap.api.plugin.PluginView;
import io.hotswap.api.plugin.RegisterPluginVersionCommand;
import io.hotswap.rest.security.Caller;
import io.hotswap.rest.security.Role;
import io.hotswap.rest.web.JsonBodies;
import io.hotswap.rest.web.Paging;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.regex.Pattern;

@RestController
@RequestMapping("/api/v1/plugins")
public class PluginController {

    private static final Logger log = LoggerFactory.getLogger(PluginController.class);
    private static final int MAX_METADATA_BYTES = 64 * 1024;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    /** What a registration answers: the version as stored. */
    record RegisteredVersion(String pluginId, String name, String version, String sha256, long sizeBytes,
                             boolean created) {
    }

    record StatusChange(String status) {
    }

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final BinaryStore store;
    private final JsonBodies bodies;
    private final BinaryLimit limit;
    private final Paging paging;

    public PluginController(CommandGateway commands, QueryGateway queries, BinaryStore store, JsonBodies bodies,
                            BinaryLimit limit, Paging paging) {
        this.commands = commands;
        this.queries = queries;
        this.store = store;
        this.bodies = bodies;
        this.limit = limit;
        this.paging = paging;
    }

    /**
     * Registers a version: checks every field first, then streams the binary into the store (verifying the optional
     * {@code sha256} the client sends), and only then writes the event. A refused registration removes the object it
     * stored; a repeat with the same binary is a no-op (200).
     */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<RegisteredVersion> register(@RequestParam(required = false) String pluginId,
                                               @RequestParam(required = false) String name,
                                               @RequestParam(required = false) String version,
                                               @RequestParam(required = false) Part binary,
                                               @RequestParam(required = false) Part metadata,
                                               @RequestParam(required = false) String sha256,
                                               Authentication authentication) throws IOException {
        Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN, Role.PLUGIN_PUBLISHER);
        Input input = new Input().dnsLabel("pluginId", pluginId).semver("version", version);
        if (name != null && (name.isBlank() || name.length() > 200)) input.reject("name", "must be 1 to 200 characters");
        if (binary == null || binary.getSize() == 0) input.reject("binary", "is required: attach the plugin file, e.g. -F binary=@plugin.jar");
        if (sha256 != null && !SHA256.matcher(sha256).matches()) input.reject("sha256", "must be 64 hexadecimal digits");
        PluginMetadata parsed = parseMetadata(metadata, pluginId, input);
        input.check();
        if (binary.getSize() > limit.maxBytes()) throw new PayloadTooLargeException("The binary", limit.maxBytes());

        BinaryStore.Stored stored;
        try (InputStream content = binary.getInputStream()) {
            stored = store.store(pluginId, version, content, limit.maxBytes());
        }
        String displayName = name == null ? pluginId : name.strip();
        try {
            if (sha256 != null && !sha256.equalsIgnoreCase(stored.binary().sha256())) {
                throw new InvalidInputException("sha256", "the uploaded binary hashes to " + stored.binary().sha256()
                        + ", not " + sha256 + "; it was damaged on the way or is another file");
            }
            PluginVersionRegistration registration = commands.sendAndWait(new RegisterPluginVersionCommand(
                    pluginId, displayName, version, stored.binary(), parsed));
            PluginBinary kept = registration.binary();
            // a repeat keeps the binary registered first: this upload's copy is not needed
            if (stored.created() && !kept.storageKey().equals(stored.binary().storageKey())) {
                removeQuietly(stored.binary().storageKey());
            }
            RegisteredVersion body = new RegisteredVersion(pluginId, displayName, version, kept.sha256(),
                    kept.sizeBytes(), registration.created());
            return registration.created()
                    ? ResponseEntity.created(URI.create("/api/v1/plugins/" + pluginId + "/versions/" + version)).body(body)
                    : ResponseEntity.ok(body);
        } catch (RuntimeException refused) {
            if (stored.created()) removeQuietly(stored.binary().storageKey());
            throw refused;
        }
    }

    @GetMapping
    PluginPage list(@RequestParam(required = false) String search, @RequestParam(required = false) Integer page,
                    @RequestParam(required = false) Integer size, @RequestParam(required = false) String after) {
        if (search != null && search.length() > 100) throw new InvalidInputException("search", "must be at most 100 characters");
        Paging.Listing listing = paging.read(ListPluginsQuery.LISTING, PageCursor.filters("search", search), page, size, after);
        return queries.query(new ListPluginsQuery(listing.filter("search"), listing.page()), PluginPage.class).join();
    }

    @GetMapping("/{pluginId}")
    PluginView get(@PathVariable String pluginId) {
        return queries.query(new FindPluginQuery(pluginId), ResponseTypes.optionalInstanceOf(PluginView.class)).join()
                .orElseThrow(() -> new NotFoundException("Plugin", pluginId));
    }

    @GetMapping("/{pluginId}/versions/{version}")
    PluginVersionView version(@PathVariable String pluginId, @PathVariable String version) {
        return findVersion(pluginId, version);
    }

    @GetMapping("/{pluginId}/versions/{version}/binary")
    ResponseEntity<StreamingResponseBody> download(@PathVariable String pluginId, @PathVariable String version)
            throws IOException {
        PluginBinary binary = queries.query(new FindPluginBinaryQuery(pluginId, version),
                        ResponseTypes.optionalInstanceOf(PluginBinary.class)).join()
                .orElseThrow(() -> new NotFoundException("Version " + version + " of plugin", pluginId));
        InputStream content = store.open(binary.storageKey())
                .orElseThrow(() -> new NotFoundException("Binary of plugin " + pluginId + " version", version));
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(binary.sizeBytes())
                .header("Content-Disposition", "attachment; filename=\"" + pluginId + "-" + version + ".bin\"")
                .header("X-Checksum-SHA256", binary.sha256())
                .body(out -> {
                    try (content) {
                        content.transferTo(out);
                    }
                });
    }

    @PostMapping("/{pluginId}/versions/{version}/status")
    PluginVersionView changeStatus(@PathVariable String pluginId, @PathVariable String version,
                                   HttpServletRequest request, Authentication authentication) {
        Caller.of(authentication).requireAnyRole(Role.PLATFORM_ADMIN, Role.PLUGIN_PUBLISHER);
        StatusChange change = bodies.read(request, StatusChange.class);
        PluginVersionStatus status = Arrays.stream(PluginVersionStatus.values())
                .filter(s -> s.name().equalsIgnoreCase(change.status())).findFirst()
                .orElseThrow(() -> new InvalidInputException("status", "must be one of Active, Deprecated, Yanked"));
        // from the aggregate: the catalogue may not have caught up with a version registered a moment ago
        return commands.sendAndWait(new ChangePluginVersionStatusCommand(pluginId, version, status));
    }

    private PluginVersionView findVersion(String pluginId, String version) {
        return queries.query(new FindPluginVersionQuery(pluginId, version),
                        ResponseTypes.optionalInstanceOf(PluginVersionView.class)).join()
                .orElseThrow(() -> new NotFoundException("Version " + version + " of plugin", pluginId));
    }

    private PluginMetadata parseMetadata(Part metadata, String pluginId, Input input) throws IOException {
        if (metadata == null || metadata.getSize() == 0) return new PluginMetadata(null, null, null, null, null);
        if (metadata.getSize() > MAX_METADATA_BYTES) {
            input.reject("metadata", "must be at most " + MAX_METADATA_BYTES + " bytes of JSON");
            return null;
        }
        byte[] json;
        try (InputStream in = metadata.getInputStream()) {
            json = in.readAllBytes();
        }
        try {
            return bodies.parse(json, MetadataRequest.class).validate(pluginId, input);
        } catch (InvalidInputException e) {
            e.errors().forEach(error -> input.reject(error.field().equals("body") ? "metadata"
                    : "metadata." + error.field(), error.message()));
            return null;
        }
    }

    private void removeQuietly(String storageKey) {
        try {
            store.delete(storageKey);
        } catch (IOException | RuntimeException e) { // the answer stands: a leftover object is only wasted space
            log.warn("Could not remove the binary {}, which no registration keeps", storageKey, e);
        }
    }
}
