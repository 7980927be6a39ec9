package io.hotswap.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.hotswap.api.audit.AuditEventFilter;
import io.hotswap.api.error.InvalidInputException;
import io.hotswap.api.plugin.BinaryStore;
import io.hotswap.ops.audit.EventChain;
import io.hotswap.ops.audit.EventStoreExport;
import io.hotswap.ops.bench.OrchestrationBenchmark;
import io.hotswap.ops.config.HotSwapProperties;
import io.hotswap.ops.database.DataDirectoryInUseException;
import io.hotswap.ops.database.DatabaseConfig;
import io.hotswap.ops.database.EmbeddedPostgresDataSource;
import io.hotswap.ops.security.JwtKeys;
import io.hotswap.ops.security.TokenIssuer;
import io.hotswap.ops.storage.BinaryVerification;
import io.hotswap.ops.storage.StorageConfig;
import io.hotswap.ops.storage.s3.S3StorageConfig;
import io.hotswap.query.JsonColumns;
import io.hotswap.query.ReadModelWrites;
import io.hotswap.query.plugin.PluginCatalogue;
import io.hotswap.rest.audit.AuditEvents;
import org.flywaydb.core.Flyway;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The commands beside the server. None of them starts the web server; they read the same configuration
 * (application.yml, environment, {@code --Key=value}) as the server.
 */
final class Cli {

    static final String JAR = "java -jar ops/target/hotswap-plugin-manager.jar";

    static final String USAGE = """
            usage: %1$s [--Key=value ...]
                   %1$s <command> [options]

            Without a command: start the server, on the embedded PostgreSQL under ./data unless DB_CONNECTION_STRING
            is set; settings as --Key=value (--server.port=8081, --Data.Directory=/srv/hotswap) or environment
            variables (see the README). One server per data directory: a second one on it refuses to start.

            commands:
              migrate [--Key=value ...]
                  apply the database migrations and exit (what a Kubernetes Job runs); on the embedded default it
                  refuses while a server runs on the same data directory (that server migrated when it started)
              token [--sub NAME] [--roles ROLE,...] [--tenant TENANT_ID] [--hours N]
                  print a token signed with JWT_SECRET or <data>/jwt-secret (default: admin, platform-admin, 24 hours);
                  token --help for the options
              audit verify [--Key=value ...]
                  recompute the event store's chain of digests and name the first stored event changed, removed or
                  inserted since it was checkpointed (exit 1); runs beside a live server, also on the embedded default
              audit export [tenantId=..] [aggregateId=..] [eventType=..] [from=..] [to=..] [after=..] [limit=..]
                           [out=FILE] [--Key=value ...]
                  write the stored events as NDJSON, one a line in store order, as GET /api/v1/audit/events does
                  (to standard output unless out= names a file); runs beside a live server, also on the embedded default
              verify-binaries [--Key=value ...]
                  check every plugin version's binary in the store (./data/binaries, or S3 with STORAGE_ENDPOINT)
                  against the SHA-256 the catalogue recorded; lists each one missing or changed and exits 1 if any;
                  runs beside a live server, also on the embedded default
              bench [canaries=50] [rollbacks=5]
                  measure orchestration on a fresh embedded server in a temporary data directory
              help, --help, -h
                  this text
            """.formatted(JAR);

    static final String TOKEN_USAGE = """
            usage: %s token [--sub NAME] [--roles ROLE,...] [--tenant TENANT_ID] [--hours N]
              --sub     the subject (default admin)
              --roles   any of platform-admin, plugin-publisher, tenant-admin, tenant-viewer (default platform-admin)
              --tenant  the tenant_id claim, for tenant roles
              --hours   how long the token is valid, a whole number above 0 (default 24)
            Signed with JWT_SECRET, or the secret the server keeps in <data>/jwt-secret (Data.Directory, default ./data).
            """.formatted(JAR);

    private static final Set<String> COMMANDS = Set.of("migrate", "token", "audit", "verify-binaries", "bench", "help");
    private static final Set<String> TOKEN_OPTIONS = Set.of("sub", "roles", "tenant", "hours");
    private static final Set<String> EXPORT_OPTIONS = Set.of("tenantId", "aggregateId", "eventType", "from", "to",
            "after", "limit", "out");

    /** Binds the configuration and nothing else: no web server, no Axon. */
    @EnableConfigurationProperties({HotSwapProperties.class, DataSourceProperties.class})
    static class Settings {
    }

    private Cli() {
    }

    /** No command: a plain server start, its arguments Spring-style options ({@code --server.port=8081}). */
    static boolean startsServer(String[] args) {
        return args.length == 0 || args[0].startsWith("-") && !asksForHelp(args);
    }

    /** Runs the command {@code args[0]} names, or prints the usage; the process's exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        if (asksForHelp(args) && !COMMANDS.contains(command) || command.equals("help")) {
            out.print(USAGE);
            return 0;
        }
        return switch (command) {
            case "migrate" -> migrate(rest, out, err);
            case "token" -> token(rest, out, err);
            case "audit" -> audit(rest, out, err);
            case "verify-binaries" -> verifyBinaries(rest, out, err);
            case "bench" -> bench(rest, out, err);
            default -> {
                err.println("unknown command '" + command + "'");
                err.print(USAGE);
                yield 2;
            }
        };
    }

    private static boolean asksForHelp(String[] args) {
        return Arrays.stream(args).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"));
    }

    /**
     * Applies the Flyway migrations to the configured database and exits: what the Kubernetes Job runs. On the
     * embedded default it needs the data directory to itself.
     */
    static int migrate(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (asksForHelp(args)) {
            out.print(USAGE);
            return 0;
        }
        if (!onlySettings("migrate", args, err)) return 2;
        try (ConfigurableApplicationContext context = settings(args)) {
            DataSource dataSource;
            try {
                dataSource = DatabaseConfig.open(context.getBean(DataSourceProperties.class),
                        context.getBean(HotSwapProperties.class));
            } catch (DataDirectoryInUseException inUse) {
                err.println("migrate: " + inUse.getMessage() + ", which applied the migrations when it started; "
                        + "stop it first to run them alone");
                return 1;
            }
            try {
                var result = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                        .cleanDisabled(true).load().migrate();
                out.println("Applied " + result.migrationsExecuted + " migration(s); schema is at version "
                        + (result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion));
                return 0;
            } finally {
                if (dataSource instanceof Closeable closeable) closeable.close();
            }
        }
    }

    /** {@code audit verify} and {@code audit export}. */
    static int audit(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (asksForHelp(args)) {
            out.print(USAGE);
            return 0;
        }
        String subcommand = args.length == 0 ? "" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        return switch (subcommand) {
            case "verify" -> auditVerify(rest, out, err);
            case "export" -> auditExport(rest, out, err);
            default -> {
                err.println("audit: expected 'audit verify [--Key=value ...]' or 'audit export [tenantId=..] ... "
                        + "[out=FILE] [--Key=value ...]'");
                yield 2;
            }
        };
    }

    /** {@code audit verify}: the event store's chain ({@link EventChain}), with the database's own settings. */
    private static int auditVerify(String[] settings, PrintStream out, PrintStream err) throws Exception {
        if (!onlySettings("audit verify", settings, err)) return 2;
        try (ConfigurableApplicationContext context = settings(settings);
             HikariDataSource database = openForReading(context.getBean(DataSourceProperties.class),
                     context.getBean(HotSwapProperties.class))) {
            HotSwapProperties.Audit audit = context.getBean(HotSwapProperties.class).audit();
            EventChain.Verification verification = new EventChain(database, audit.chainCheckpointEvents(),
                    audit.chainSettle(), Clock.systemUTC()).verify();
            out.println(verification.summary());
            return verification.intact() ? 0 : 1;
        }
    }

    /**
     * {@code audit export}: the lines of {@code GET /api/v1/audit/events} ({@link EventStoreExport}, the same code), for
     * offline audits. The summary goes to standard error when the events go to standard output.
     */
    private static int auditExport(String[] args, PrintStream out, PrintStream err) throws Exception {
        Map<String, String> options = new HashMap<>();
        List<String> settings = new ArrayList<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                settings.add(arg);
            } else if (equals > 0 && EXPORT_OPTIONS.contains(arg.substring(0, equals))) {
                options.put(arg.substring(0, equals), arg.substring(equals + 1));
            } else {
                err.println("audit export: unexpected argument '" + arg + "' (options are " + String.join("=, ",
                        EXPORT_OPTIONS.stream().sorted().toList()) + "=; settings are --Key=value)");
                return 2;
            }
        }
        AuditEventFilter filter;
        try {
            filter = AuditEventFilter.parse(options.get("tenantId"), options.get("aggregateId"),
                    options.get("eventType"), options.get("from"), options.get("to"), options.get("after"),
                    options.get("limit"));
        } catch (InvalidInputException e) {
            err.println("audit export: " + e.getMessage());
            return 2;
        }
        Path file = options.containsKey("out") ? Path.of(options.get("out")) : null;
        PrintStream report = file == null ? err : out;
        try (ConfigurableApplicationContext context = settings(settings.toArray(String[]::new));
             HikariDataSource database = openForReading(context.getBean(DataSourceProperties.class),
                     context.getBean(HotSwapProperties.class));
             OutputStream lines = file == null ? new NoClose(out) : Files.newOutputStream(file)) {
            AuditEvents.Exported exported = new EventStoreExport(database).export(filter, lines);
            report.println("Exported " + exported.events() + " events" + (exported.lastPosition() == null ? ""
                    : ", the last at position " + exported.lastPosition()) + ", reading up to position "
                    + exported.head() + (file == null ? "" : " to " + file));
            return 0;
        } catch (IOException | RuntimeException e) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
            err.println("audit export: could not finish: " + (cause.getMessage() != null ? cause.getMessage() : cause)
                    + "; the lines written so far stand: go on with after=<the position of the last one>");
            return 1;
        }
    }

    /** Standard output, which the export may flush but must not close. */
    private static final class NoClose extends FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /**
     * Reads every registered version's binary from the configured store (the server's own adapters) and compares it
     * with the catalogue's SHA-256 and size: 0 when all are intact, 1 when any is missing or changed or the check
     * could not finish. On the embedded default it reads the database of the server running there, if one is.
     */
    static int verifyBinaries(String[] args, PrintStream out, PrintStream err) {
        if (asksForHelp(args)) {
            out.print(USAGE);
            return 0;
        }
        if (!onlySettings("verify-binaries", args, err)) return 2;
        try (ConfigurableApplicationContext context = settings(args, StorageConfig.class, S3StorageConfig.class);
             HikariDataSource database = openForReading(context.getBean(DataSourceProperties.class),
                     context.getBean(HotSwapProperties.class))) {
            List<PluginCatalogue.CataloguedBinary> catalogue = new PluginCatalogue(JdbcClient.create(database),
                    new ReadModelWrites(new JdbcTemplate(database)), new JsonColumns(new ObjectMapper())).binaries();
            BinaryVerification.Report report = BinaryVerification.verify(catalogue, context.getBean(BinaryStore.class));
            report.problems().forEach(problem -> out.println(problem.describe()));
            out.println(report.summary());
            return report.intact() ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
            err.println("verify-binaries: could not finish: " + (cause.getMessage() != null ? cause.getMessage() : cause));
            return 1;
        }
    }

    /** The configured database; on the embedded default, the running server's if one owns the data directory. */
    private static HikariDataSource openForReading(DataSourceProperties jdbc, HotSwapProperties properties)
            throws IOException {
        try {
            return DatabaseConfig.open(jdbc, properties);
        } catch (DataDirectoryInUseException inUse) {
            return EmbeddedPostgresDataSource.readOnlyBeside(properties.data().directory());
        }
    }

    /**
     * Prints a token: {@code token --sub alice --roles tenant-admin --tenant tenant-acme-corp --hours 8}.
     * Without options: a platform-admin token for "admin", valid 24 hours. It only reads the data directory (the
     * secret a server generated), so it runs beside a live server.
     */
    static int token(String[] args, PrintStream out, PrintStream err) {
        if (asksForHelp(args)) {
            out.print(TOKEN_USAGE);
            return 0;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.startsWith("--") ? arg.substring(2) : "";
            String value = null;
            if (name.contains("=")) {
                value = name.substring(name.indexOf('=') + 1);
                name = name.substring(0, name.indexOf('='));
            }
            if (!TOKEN_OPTIONS.contains(name)) return refuseToken(err, "unknown option '" + arg + "'");
            if (value == null) {
                if (i + 1 >= args.length) return refuseToken(err, "--" + name + " needs a value");
                value = args[++i];
            }
            options.put(name, value);
        }
        String hoursText = options.getOrDefault("hours", "24");
        int hours;
        try {
            hours = Integer.parseInt(hoursText);
        } catch (NumberFormatException e) {
            hours = 0;
        }
        if (hours <= 0) return refuseToken(err, "--hours must be a whole number above 0, not '" + hoursText + "'");
        List<String> roles = Arrays.asList(options.getOrDefault("roles", "platform-admin").split(","));
        try (ConfigurableApplicationContext context = settings(new String[0])) {
            HotSwapProperties properties = context.getBean(HotSwapProperties.class);
            TokenIssuer issuer = new TokenIssuer(
                    JwtKeys.resolve(properties.authentication().jwtSecret(), properties.data().directory()),
                    properties.authentication().jwtIssuer(), properties.authentication().jwtAudience());
            out.println(issuer.issue(options.getOrDefault("sub", "admin"), roles, options.get("tenant"),
                    Duration.ofHours(hours)));
            return 0;
        }
    }

    /** {@code bench [canaries=50] [rollbacks=5]} (or the two numbers alone). */
    static int bench(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (asksForHelp(args)) {
            out.print(USAGE);
            return 0;
        }
        OrchestrationBenchmark.Options options;
        try {
            options = OrchestrationBenchmark.Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage() + "; usage: bench [canaries=50] [rollbacks=5]");
            return 2;
        }
        return OrchestrationBenchmark.run(options);
    }

    /** Commands that take settings only: anything but {@code --Key=value} is refused. */
    private static boolean onlySettings(String command, String[] args, PrintStream err) {
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                err.println(command + ": unexpected argument '" + arg + "' (settings are --Key=value)");
                return false;
            }
        }
        return true;
    }

    private static int refuseToken(PrintStream err, String problem) {
        err.println("token: " + problem);
        err.print(TOKEN_USAGE);
        return 2;
    }

    /** The configuration, with the beans of {@code configurations} (the server's own) and nothing else. */
    private static ConfigurableApplicationContext settings(String[] args, Class<?>... configurations) {
        Class<?>[] sources = Stream.concat(Stream.of(Settings.class), Arrays.stream(configurations)).toArray(Class<?>[]::new);
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE)
                .logStartupInfo(false).bannerMode(Banner.Mode.OFF).run(args);
    }
}
