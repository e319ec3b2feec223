package io.cairn.unixfs.commands.internal;

import io.cairn.multiformats.Cid;
import io.cairn.pin.Pinner;
import io.cairn.rpc.MultipartReader;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import io.cairn.unixfs.DirEntry;
import io.cairn.unixfs.ImportOptions;
import io.cairn.unixfs.ImportedEntry;
import io.cairn.unixfs.Importer;
import io.cairn.unixfs.UnixFs;
import io.cairn.unixfs.UnixFsException;
import io.cairn.unixfs.UnixFsStat;
import io.cairn.unixfs.UnixFsType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Kubo's UnixFS commands, {@code add}, {@code cat}, {@code ls}, {@code get} and {@code resolve}, over the
 * {@link UnixFs} service, in Kubo's shapes (kubo-rpc-client and ipfs-cluster read them). A bad option or
 * path is a client error (400); a DAG that cannot be read (missing, malformed, a bogus HAMT) is Kubo's
 * 500 with the reason.
 */
final class UnixFsCommands {
  /** How long add waits for its pin when the request gives no timeout (the blocks are local by then). */
  static final Duration PIN_TIMEOUT = Duration.ofMinutes(10);

  private UnixFsCommands() {}

  /** A UnixFS failure as Kubo answers it: about no block (a bad path or option) is the caller's, else the node's. */
  static RpcException error(UnixFsException e) {
    return e.cid() == null ? RpcException.client(e.getMessage()) : RpcException.normal(e.getMessage());
  }

  /** The {@code /ipfs/...} or {@code <cid>/...} argument; IPNS is refused clearly. */
  static String pathArgument(RpcRequest request) throws RpcException {
    String path = request.requireArgument(0, "ipfs-path");
    if (path.startsWith("/ipns/")) {
      throw RpcException.client("IPNS paths are not supported by this node: \"" + path + "\"");
    }
    return path;
  }

  /**
   * {@code add}: every multipart part a file ({@code application/octet-stream}, its URI-encoded filename
   * the path) or a directory ({@code application/x-directory}), as kubo-rpc-client sends them. One NDJSON
   * {@code {"Name","Hash","Size"}} per file as it is imported and per directory at the end, deepest first
   * (Size a string, the cumulative DAG size); with {@code progress}, {@code {"Name","Bytes"}} after each
   * chunk. Pins recursively by default (each top-level entry, or the wrapping directory), through the
   * Pinner when one runs.
   */
  @Component(property = RpcCommand.PATH + "=add")
  public static final class Add implements RpcCommand {
    private final UnixFs unixfs;
    /** The pinner, when it runs; typed {@code Object} so this loads without the pin package (see {@link AddPin}). */
    @Reference(service = Pinner.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
        policyOption = ReferencePolicyOption.GREEDY)
    volatile Object pinner;

    @Activate
    public Add(@Reference UnixFs unixfs) {
      this.unixfs = unixfs;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      for (String unsupported : List.of("trickle", "nocopy", "inline", "fscache", "preserve-mode", "preserve-mtime")) {
        if (request.flag(unsupported, false)) {
          throw RpcException.client("add option " + unsupported + " is not supported by this node");
        }
      }
      if (request.option("to-files").isPresent()) {
        throw RpcException.client("add option to-files is not supported by this node");
      }
      boolean onlyHash = request.flag("only-hash", false);
      boolean pin = request.flag("pin", true) && !onlyHash;
      Object pinnerNow = pinner;
      if (pin && pinnerNow == null) {
        throw RpcException.client("pin=true needs the pinning service, which is not running on this node; add with pin=false");
      }
      ImportOptions options = new ImportOptions(request.option("chunker").orElse(ImportOptions.DEFAULT_CHUNKER),
          (int) request.longOption("cid-version", 0, 0, 1),
          request.option("raw-leaves").isPresent() ? request.flag("raw-leaves", false) : null,
          request.flag("wrap-with-directory", false), request.option("hash").orElse(ImportOptions.DEFAULT_HASH), onlyHash);
      boolean silent = request.flag("silent", false);
      boolean quieter = request.flag("quieter", false);
      boolean progress = request.flag("progress", false) && !silent && !quieter;
      Lines out = new Lines(response);
      Importer importer;
      try {
        importer = unixfs.importer(options, !progress ? null : (path, bytes) -> {
          Map<String, Object> event = new LinkedHashMap<>();
          event.put("Name", path);
          event.put("Bytes", bytes);
          out.writeUnchecked(event);
        });
      } catch (UnixFsException e) {
        throw RpcException.client(e.getMessage());
      }
      List<ImportedEntry> top = new ArrayList<>();
      MultipartReader parts = request.parts();
      int count = 0;
      try {
        for (Optional<MultipartReader.Part> next = parts.next(); next.isPresent(); next = parts.next()) {
          MultipartReader.Part part = next.get();
          count++;
          String type = part.contentType().toLowerCase(java.util.Locale.ROOT);
          if (type.startsWith("application/x-directory")) {
            importer.addDirectory(part.filename());
          } else if (type.startsWith("application/symlink")) {
            throw RpcException.client("symlinks are not supported by this node's add (part " + part.index() + ")");
          } else {
            ImportedEntry file = importer.addFile(part.filename(), part.body());
            if (!file.path().contains("/")) {
              top.add(file);
            }
            if (!silent && !quieter) {
              out.write(event(file));
            }
          }
        }
        if (count == 0) {
          throw RpcException.client("file argument 'path' is required");
        }
        for (ImportedEntry dir : importer.finish()) {
          if (!dir.path().contains("/")) {
            top.add(dir);
          }
          if (!silent && !quieter) {
            out.write(event(dir));
          }
        }
        ImportedEntry root = importer.root();
        if (quieter && !silent) {
          out.write(event(root));
        }
        if (pin) {
          List<ImportedEntry> roots = options.wrapWithDirectory() ? List.of(root) : top;
          for (ImportedEntry r : roots) {
            awaitPin(AddPin.pin(pinnerNow, r.cid(), request.option("pin-name").orElse("")), r.cid(),
                request.timeout().orElse(PIN_TIMEOUT));
          }
        }
      } catch (UnixFsException e) {
        throw error(e);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      out.ensureStarted();
    }

    private static Map<String, Object> event(ImportedEntry e) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Name", e.path().isEmpty() && !e.directory() ? e.cid().toString() : e.path());
      m.put("Hash", e.cid().toString());
      m.put("Size", Long.toString(e.size()));
      return m;
    }

    private static void awaitPin(CompletableFuture<Void> pin, Cid root, Duration timeout) throws RpcException {
      try {
        pin.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        pin.cancel(true);
        throw RpcException.normal("pinning " + root + " did not finish within " + timeout.toMillis() + " ms");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw RpcException.normal("pinning " + root + " failed: " + (cause.getMessage() == null ? cause : cause.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        pin.cancel(true);
        throw RpcException.normal("interrupted while pinning " + root);
      }
    }
  }

  /** The NDJSON answer, opened at the first line. */
  private static final class Lines {
    private final RpcResponse response;
    private RpcResponse.JsonLines lines;

    Lines(RpcResponse response) {
      this.response = response;
    }

    void write(Object value) throws IOException {
      ensureStarted();
      lines.write(value);
    }

    void writeUnchecked(Object value) {
      try {
        write(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void ensureStarted() throws IOException {
      if (lines == null) {
        lines = response.jsonLines();
      }
    }
  }

  /** {@code cat}: a file's bytes, from {@code offset}, at most {@code length} of them, as a raw stream. */
  @Component(property = RpcCommand.PATH + "=cat")
  public static final class Cat implements RpcCommand {
    private final UnixFs unixfs;

    @Activate
    public Cat(@Reference UnixFs unixfs) {
      this.unixfs = unixfs;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      String path = pathArgument(request);
      long offset = request.longOption("offset", 0, Long.MIN_VALUE, Long.MAX_VALUE);
      long length = request.longOption("length", -1, Long.MIN_VALUE, Long.MAX_VALUE);
      if (offset < 0) {
        throw RpcException.client("cannot specify negative offset");
      }
      if (request.option("length").isPresent() && length < 0) {
        throw RpcException.client("cannot specify negative length");
      }
      InputStream in;
      try {
        Cid target = unixfs.resolve(path).target();
        UnixFsStat stat = unixfs.stat(target);
        if (stat.type().isDirectory()) {
          throw RpcException.normal("this dag node is a directory");
        }
        if (offset > stat.size()) {
          throw RpcException.normal("offset was past the end of file (" + offset + " > " + stat.size() + ")");
        }
        in = unixfs.read(target, offset, length);
      } catch (UnixFsException e) {
        throw error(e);
      }
      try (InputStream data = in) {
        byte[] buffer = new byte[64 * 1024];
        // The first bytes are read before the answer starts, so an early failure is still a plain error.
        int n = data.read(buffer);
        OutputStream out = response.stream("text/plain");
        while (n >= 0) {
          out.write(buffer, 0, n);
          n = data.read(buffer);
        }
        out.flush();
      }
    }
  }

  /**
   * {@code ls}: Kubo's {@code {"Objects":[{"Hash":<arg>,"Links":[{"Name","Hash","Size","Type","Target"}]}]}},
   * each child stat'ed for its type (1 directory, 2 file, 4 symlink) and size (a file's bytes, 0 for a
   * directory); with {@code stream=true} one such object per link, one a line. A file lists no links.
   */
  @Component(property = RpcCommand.PATH + "=ls")
  public static final class Ls implements RpcCommand {
    private final UnixFs unixfs;

    @Activate
    public Ls(@Reference UnixFs unixfs) {
      this.unixfs = unixfs;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      List<String> paths = request.arguments();
      if (paths.isEmpty()) {
        throw RpcException.client("argument \"ipfs-path\" is required");
      }
      boolean stream = request.flag("stream", false);
      Lines lines = stream ? new Lines(response) : null;
      List<Object> objects = new ArrayList<>();
      try {
        for (String path : paths) {
          if (path.startsWith("/ipns/")) {
            throw RpcException.client("IPNS paths are not supported by this node: \"" + path + "\"");
          }
          Cid target = unixfs.resolve(path).target();
          List<Map<String, Object>> links = new ArrayList<>();
          if (unixfs.stat(target).type().isDirectory()) {
            List<DirEntry> entries = new ArrayList<>();
            unixfs.list(target, entries::add);
            for (DirEntry e : entries) {
              Map<String, Object> link = link(e, unixfs.stat(e.cid()));
              if (stream) {
                lines.write(object(path, List.of(link)));
              } else {
                links.add(link);
              }
            }
          }
          if (!stream) {
            objects.add(object(path, links));
          }
        }
      } catch (UnixFsException e) {
        throw error(e);
      }
      if (stream) {
        lines.ensureStarted();
      } else {
        response.json(Map.of("Objects", objects));
      }
    }

    private static Map<String, Object> object(String hash, List<Map<String, Object>> links) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Hash", hash);
      m.put("Links", links);
      return m;
    }

    private static Map<String, Object> link(DirEntry e, UnixFsStat stat) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Name", e.name());
      m.put("Hash", e.cid().toString());
      m.put("Size", stat.type().isDirectory() ? 0 : stat.size());
      m.put("Type", kuboType(stat.type()));
      m.put("Target", stat.symlinkTarget());
      return m;
    }

    /** Kubo's ls Type: the unixfs.proto number of its file/directory/symlink view. */
    static int kuboType(UnixFsType type) {
      return switch (type) {
        case DIRECTORY, HAMT_SHARD -> UnixFsType.DIRECTORY.code();
        case FILE, RAW -> UnixFsType.FILE.code();
        default -> type.code();
      };
    }
  }

  /**
   * {@code get}: Kubo's tar of a file or directory, its top entry named after the path's last segment.
   * {@code archive} is accepted (the answer is a tar either way, as Kubo's transport); {@code compress}
   * (gzip) is refused.
   */
  @Component(property = RpcCommand.PATH + "=get")
  public static final class Get implements RpcCommand {
    private final UnixFs unixfs;

    @Activate
    public Get(@Reference UnixFs unixfs) {
      this.unixfs = unixfs;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      String path = pathArgument(request);
      if (request.flag("compress", false) || request.longOption("compression-level", -1, -1, 9) > 0) {
        throw RpcException.client("get: gzip compression is not supported by this node; get without compress "
            + "(the answer is an uncompressed tar)");
      }
      request.flag("archive", false);
      Cid target;
      try {
        target = unixfs.resolve(path).target();
        unixfs.stat(target);
      } catch (UnixFsException e) {
        throw error(e);
      }
      String name = lastSegment(path);
      OutputStream out = response.stream("application/x-tar");
      try {
        unixfs.tar(target, name, out);
      } catch (UnixFsException e) {
        throw error(e);
      }
      out.flush();
    }

    /** What Kubo names the top entry: the path's last segment once cleaned (the CID for a bare one). */
    static String lastSegment(String path) {
      String rest = path.startsWith("/ipfs/") ? path.substring("/ipfs/".length()) : path;
      String[] segments = rest.split("/");
      for (int i = segments.length - 1; i >= 0; i--) {
        if (!segments[i].isEmpty()) {
          return segments[i];
        }
      }
      return rest;
    }
  }

  /** {@code resolve}: {@code {"Path":"/ipfs/<cid>"}}, the CID the whole path names. */
  @Component(property = RpcCommand.PATH + "=resolve")
  public static final class Resolve implements RpcCommand {
    private final UnixFs unixfs;

    @Activate
    public Resolve(@Reference UnixFs unixfs) {
      this.unixfs = unixfs;
    }

    @Override
    public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
      String path = pathArgument(request);
      // recursive (IPNS chains) has nothing to do for /ipfs/ paths; read so that a malformed value is refused
      request.flag("recursive", true);
      Cid target;
      try {
        target = unixfs.resolve(path).target();
      } catch (UnixFsException e) {
        throw error(e);
      }
      response.json(Map.of("Path", "/ipfs/" + target));
    }
  }
}
