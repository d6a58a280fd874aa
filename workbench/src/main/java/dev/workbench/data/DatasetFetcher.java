package dev.workbench.data;

import dev.workbench.data.DatasetCatalog.Entry;
import dev.workbench.data.DatasetCatalog.Source;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.AtomicDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code workbench datasets fetch}: downloads a catalog dataset over HTTPS (the one place the workbench opens a
 * network connection, and only when the user runs this command), verifies each file's SHA-256 where the catalog knows
 * it, converts it to the workbench layout and writes the folder atomically with a README card. {@code --from} replaces
 * the catalog's sources by other URLs or by local files, so an offline user can convert a copy they already have.
 *
 * <p>Plain http is refused except to loopback addresses (local mirrors, tests); redirects are followed only to https.
 * Any failure (HTTP error, hash mismatch, bad source row) leaves nothing behind: all work happens in a hidden staging
 * folder that is renamed into place last.
 */
public final class DatasetFetcher {
    /** The card written next to the converted files. */
    public static final String CARD = "README.md";
    private static final String DOWNLOADS = ".download";

    private final Consumer<String> log;
    private final HttpClient http;

    /** @param log progress lines (downloading ..., converting ...) */
    public DatasetFetcher(Consumer<String> log) {
        this.log = log;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL) // never from https down to http
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** Where a dataset goes by default: {@code <repo>/datasets/external/NAME}. */
    public static Path defaultFolder(Path repoRoot, String name) {
        return repoRoot.resolve(DatasetCatalog.EXTERNAL_PATH).resolve(name);
    }

    /**
     * What a source turned out to be.
     *
     * @param origin the URL or local path read
     * @param sha256 SHA-256 of the bytes read; empty for a local folder (medquad-xml), which has no single hash
     * @param verified true when it equals the catalog's expected hash
     */
    public record FetchedSource(String origin, Optional<String> sha256, Optional<String> expected, boolean verified) {
    }

    /** A converted file: its name in the folder, its rows (documents for text) and its SHA-256. */
    public record FetchedFile(String name, long rows, String sha256) {
    }

    public record Result(Path folder, List<FetchedSource> sources, List<FetchedFile> files, List<String> warnings) {
    }

    /**
     * Fetches {@code entry} into {@code target}.
     *
     * @param from replacements for the catalog's sources, in the same order (URLs or local files); empty = catalog
     * @param replace replace an existing folder (otherwise an existing folder is an error)
     */
    public Result fetch(Entry entry, Path target, List<String> from, boolean replace) {
        if (!from.isEmpty() && from.size() != entry.sources().size()) {
            List<String> names = entry.sources().stream().map(Source::fileName).toList();
            throw WorkbenchException.invalid("dataset '" + entry.name() + "' has " + entry.sources().size()
                    + " source file(s) (" + String.join(", ", names) + "); --from was given " + from.size()
                    + " time(s): give one --from per source, in that order");
        }
        Path folder = target.toAbsolutePath().normalize();
        if (Files.exists(folder) && !replace) {
            throw WorkbenchException.invalid(folder + " already exists (delete it, or add --force to replace it)");
        }
        Path staging;
        try {
            staging = AtomicDirectory.staging(folder);
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, "cannot create " + folder + ": " + e, e);
        }
        try {
            Path downloads = Files.createDirectories(staging.resolve(DOWNLOADS));
            List<DatasetConverter.Input> inputs = new ArrayList<>();
            List<FetchedSource> fetched = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (int i = 0; i < entry.sources().size(); i++) {
                Source source = entry.sources().get(i);
                String origin = from.isEmpty() ? source.url() : from.get(i);
                Path local = downloads.resolve(i + "-" + source.fileName());
                Optional<String> hash;
                if (!origin.contains("://") && Files.isDirectory(Path.of(origin))) {
                    local = Path.of(origin).toAbsolutePath(); // a folder (medquad-xml) is read in place
                    hash = Optional.empty();
                } else {
                    hash = Optional.of(obtain(origin, local));
                }
                boolean verified = false;
                if (source.sha256().isPresent() && hash.isPresent()) {
                    if (!source.sha256().get().equals(hash.get())) {
                        throw WorkbenchException.invalid("SHA-256 mismatch for " + origin + ": expected "
                                + source.sha256().get() + ", got " + hash.get()
                                + " (the file differs from the one the catalog knows; nothing was written)");
                    }
                    verified = true;
                } else if (hash.isEmpty()) {
                    warnings.add(origin + " is a folder: not verified");
                } else {
                    warnings.add("unverified: the catalog has no SHA-256 for " + source.fileName() + "; got "
                            + hash.get() + " (recorded in " + CARD + ")");
                }
                fetched.add(new FetchedSource(origin, hash, source.sha256(), verified));
                inputs.add(new DatasetConverter.Input(local, source));
            }
            log.accept("converting " + entry.name() + " (" + entry.convert().kind().key() + ")");
            List<DatasetConverter.Output> outputs;
            try {
                outputs = DatasetConverter.convert(entry, inputs, staging);
            } catch (WorkbenchException e) {
                // Name the source as the user knows it, not the staging copy that is about to be deleted.
                String message = e.getMessage();
                for (int i = 0; i < inputs.size(); i++) {
                    message = message.replace(inputs.get(i).path().toString(), fetched.get(i).origin());
                }
                throw new WorkbenchException(e.kind(), message, e);
            }
            AtomicDirectory.deleteRecursively(downloads);
            List<FetchedFile> files = new ArrayList<>();
            for (DatasetConverter.Output output : outputs) {
                files.add(new FetchedFile(output.name(), output.rows(),
                        AtomicDirectory.sha256(staging.resolve(output.name()))));
            }
            boolean defaultPlace = folder.getParent() != null
                    && folder.getParent().endsWith(Path.of(DatasetCatalog.EXTERNAL_PATH));
            Files.writeString(staging.resolve(CARD), DatasetCard.render(entry, fetched, files, warnings,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS),
                    defaultPlace ? "../" + DatasetCatalog.EXTERNAL_PATH + "/" + folder.getFileName() : folder.toString()));
            readableByAll(staging);
            commit(staging, folder);
            return new Result(folder, List.copyOf(fetched), List.copyOf(files), List.copyOf(warnings));
        } catch (IOException e) {
            AtomicDirectory.deleteRecursively(staging);
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, "fetch of " + entry.name()
                    + " failed: " + e, e);
        } catch (RuntimeException e) {
            AtomicDirectory.deleteRecursively(staging);
            throw e;
        }
    }

    /** Temporary folders are created owner-only; a dataset folder is ordinary shared data. */
    private static void readableByAll(Path folder) {
        try {
            Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep the default permissions
        }
    }

    /** Moves an existing folder aside first, so that a failed rename never loses the old copy. */
    private static void commit(Path staging, Path folder) throws IOException {
        if (!Files.exists(folder)) {
            AtomicDirectory.commit(staging, folder);
            return;
        }
        Path old = Files.createTempDirectory(folder.getParent(), "." + folder.getFileName() + ".old-");
        Files.delete(old);
        Files.move(folder, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            AtomicDirectory.commit(staging, folder);
        } catch (IOException e) {
            Files.move(old, folder, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        AtomicDirectory.deleteRecursively(old);
    }

    /** Copies {@code origin} (URL or local file) to {@code local}, hashing the bytes on the way. */
    private String obtain(String origin, Path local) throws IOException {
        if (origin.contains("://")) {
            return download(checkedUri(origin), local);
        }
        Path path = Path.of(origin).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw WorkbenchException.environment("--from " + origin + ": no such file");
        }
        log.accept("reading " + path);
        try (InputStream in = Files.newInputStream(path)) {
            return copyHashing(in, local);
        }
    }

    /** https anywhere; http only to a loopback address; nothing else. */
    static URI checkedUri(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            throw WorkbenchException.invalid("not a valid URL: " + origin);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") && uri.getHost() != null) {
            return uri;
        }
        if (scheme.equals("http") && isLoopback(uri.getHost())) {
            return uri;
        }
        throw WorkbenchException.invalid("refusing to download " + origin + ": only https:// URLs are fetched "
                + "(plain http only from a loopback address)");
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || h.matches("127(\\.\\d{1,3}){3}");
    }

    private String download(URI uri, Path local) throws IOException {
        log.accept("downloading " + uri);
        HttpRequest request = HttpRequest.newBuilder(uri).GET().header("User-Agent", "workbench-datasets").build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, "download of " + uri + " interrupted", e);
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, "cannot download " + uri + ": " + e
                    + " (offline? get the file another way and pass it with --from FILE)", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw WorkbenchException.environment("download of " + uri + " failed: HTTP " + response.statusCode()
                        + (response.uri().equals(uri) ? "" : " (from " + response.uri() + ")"));
            }
            return copyHashing(body, local);
        }
    }

    private static String copyHashing(InputStream in, Path local) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(local), digest)) {
            in.transferTo(out);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
