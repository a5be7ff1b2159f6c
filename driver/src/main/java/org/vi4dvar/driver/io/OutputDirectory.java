package org.vi4dvar.driver.io;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.vi4dvar.driver.BadInputException;

/**
 * The output directory of a command, all or nothing.
 *
 * <p><b>Layout.</b> Next to the target {@code DIR} a command holds the lock file {@code .DIR.lock} and writes
 * everything into a hidden sibling {@code .DIR.tmp-<random>/}: its {@code out/} becomes {@code DIR} at the commit
 * (one rename), {@code scratch/} takes Spark's local directories and the JVM's temporary files
 * ({@link #scratch()}), and the marker {@value Owner#MARKER} names the owning process ({@link Owner}). On a
 * failure or an interrupt {@link #abort()} deletes the sibling (and any parent directories this created), so a
 * command leaves either the complete directory or nothing. With {@code overwrite}, an existing target is
 * replaced only at the commit: renamed into the sibling, the new one renamed in, the sibling deleted; and only
 * a target that is an earlier output ({@code summary.json} of a run, {@code vi4dvar.conf} of a twin): any other
 * non-empty directory is refused, whatever {@code overwrite} says.
 *
 * <p><b>Concurrency and leftovers.</b> The lock is taken by {@link #open}: a second command on the same target
 * while the first runs is refused (exit 2, naming the holder). Locally it is a POSIX advisory lock, which the
 * kernel releases when its process dies, even by SIGKILL; on a Hadoop file system it is an exclusive create, taken
 * over when its owner is known to be gone. A command that holds the lock removes the siblings of earlier commands
 * on the same target whose owner is gone (killed) and says so; a sibling without our marker is never touched.
 * If an earlier command was killed in the middle of replacing the target, the old output is put back.
 *
 * <p><b>Paths.</b> The target is compared by <em>real</em> path (symbolic links resolved; for a target that does
 * not exist yet, the real path of its nearest existing ancestor plus the rest) with the inputs and the working
 * directory, so no spelling of {@code --out} can replace an input. {@code --out} may also be a Hadoop file-system
 * URI ({@code hdfs://}, {@code s3a://}, {@code file://}): the lock, the sibling and the commit are then on that file
 * system ({@link HadoopTree}), the driver's own files are assembled in a local staging directory
 * ({@link #temp()}) and copied into the sibling at the commit, and executors write into {@link #tempUri()}.
 *
 * <p>Writes and {@link #abort()} are mutually exclusive, so an abort from a shutdown hook never races with a
 * half-written file.
 */
public final class OutputDirectory implements AutoCloseable, Abortable, org.vi4dvar.driver.output.OutputSink {

  /**
   * Deletes the local directory {@code dir} and everything below it, without following symbolic links; no error
   * if it is absent (the one recursive delete of the driver, also used by {@code report}'s staging).
   */
  public static void deleteLocalTree(Path dir) throws IOException {
    LocalTree.deleteTree(dir);
  }

  /** Name of the directory inside the temporary sibling that becomes the target. */
  static final String OUT = "out";
  /** Name of the scratch directory inside the temporary sibling (Spark's local dirs, JVM temporary files). */
  static final String SCRATCH = "scratch";
  /** Name the replaced target gets inside the temporary sibling during an overwriting commit. */
  static final String OLD = "old";
  /** Prefix of the local staging directories of Hadoop outputs, in {@code java.io.tmpdir}. */
  static final String STAGING_PREFIX = "vi4dvar-staging-";

  /** What every run's output holds: with it, a directory may be replaced by {@code --overwrite}. */
  static final String MARK_RUN = "summary.json";
  /** What every twin's output holds. */
  static final String MARK_TWIN = DatasetFiles.CONFIG;

  private static final Pattern URI_LIKE = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]*:/.*");

  private final String shown;
  private final Tree tree;
  private final String target;
  private final Path localTarget;
  private final boolean overwrite;
  private final boolean staged;
  private final Object lock = new Object();
  private final List<String> createdParents = new ArrayList<>();
  private Consumer<String> notes = s -> { };
  private Closeable held;
  private String wrapper;
  private Path localWrapper;
  private Path temp;
  private boolean committed;
  private boolean aborted;

  private OutputDirectory(String shown, Tree tree, String target, Path localTarget, boolean overwrite,
      boolean staged) {
    this.shown = shown;
    this.tree = tree;
    this.target = target;
    this.localTarget = localTarget;
    this.overwrite = overwrite;
    this.staged = staged;
  }

  /** As {@link #check(String, boolean, Path...)} for a local path. */
  public static OutputDirectory check(Path out, boolean overwrite, Path... inputs) {
    return check(out.toString(), overwrite, inputs);
  }

  /**
   * Checks {@code --out} without creating anything.
   *
   * @param out the target directory as given: a local path, or a Hadoop file-system URI ({@code scheme:/...})
   * @param overwrite whether an existing non-empty target may be replaced
   * @param inputs paths read by the command (data directory, config file), which the target must not contain
   * @throws BadInputException when the target cannot or must not be used
   */
  public static OutputDirectory check(String out, boolean overwrite, Path... inputs) {
    return check(out, overwrite, Map.of(), inputs);
  }

  /**
   * As {@link #check(String, boolean, Path...)}, with the Hadoop properties used for a URI target.
   *
   * @param hadoop Hadoop configuration properties ({@code spark.hadoop.*} without the prefix)
   */
  public static OutputDirectory check(String out, boolean overwrite, Map<String, String> hadoop,
      Path... inputs) {
    if (out == null || out.isBlank()) {
      throw new BadInputException("--out is empty; give the output directory");
    }
    for (int i = 0; i < out.length(); i++) {
      char c = out.charAt(i);
      if (Character.isISOControl(c)) {
        throw new BadInputException("--out '" + printable(out) + "' contains a control character ("
            + String.format(Locale.ROOT, "U+%04X", (int) c) + (c == '\n' ? ", a line break" : "")
            + "); choose a name without one");
      }
    }
    if (URI_LIKE.matcher(out).matches()) {
      return checkUri(out, overwrite, hadoop, inputs);
    }
    Path abs;
    try {
      abs = Path.of(out).toAbsolutePath();
    } catch (java.nio.file.InvalidPathException e) {
      throw new BadInputException("--out '" + printable(out) + "' is not a valid path (" + e.getReason() + ")", e);
    }
    Path t = realTarget(abs, out);
    checkLocal(t, out, inputs);
    OutputDirectory o = new OutputDirectory(out, LocalTree.INSTANCE, t.toString(), t, overwrite, false);
    o.checkState();
    return o;
  }

  private static OutputDirectory checkUri(String out, boolean overwrite, Map<String, String> hadoop,
      Path... inputs) {
    URI uri;
    try {
      uri = new URI(out);
    } catch (URISyntaxException e) {
      throw new BadInputException("--out '" + out + "' is not a valid URI (" + e.getReason() + ")", e);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    Path local = null;
    if (scheme.equals("file")) {
      if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()
          && !uri.getAuthority().equalsIgnoreCase("localhost")) {
        throw new BadInputException("--out '" + out + "': a file:// URI names a local path, file:///dir (three "
            + "slashes), not a host ('" + uri.getAuthority() + "')");
      }
      local = realTarget(Path.of(uri.getPath()), out);
      checkLocal(local, out, inputs);
      uri = local.toUri();
    }
    HadoopTree tree;
    try {
      tree = HadoopTree.of(uri, hadoop);
    } catch (IOException | RuntimeException e) {
      String why = reason(e);
      if (e.getClass().getSimpleName().equals("UnsupportedFileSystemException") || classMissing(e)) {
        throw new BadInputException("--out '" + out + "': no Hadoop file system for the scheme '" + scheme
            + "' on the classpath (Spark's Hadoop client serves file:// and hdfs://; s3a:// needs hadoop-aws)", e);
      }
      throw new BadInputException("--out '" + out + "': cannot reach the file system (" + why + ")", e);
    }
    String t = tree.qualify(uri);
    if (tree.parent(t) == null) {
      throw new BadInputException("--out '" + out + "' is a file-system root; choose a directory below it");
    }
    OutputDirectory o = new OutputDirectory(out, tree, t, local, overwrite, true);
    o.checkState();
    return o;
  }

  /**
   * Whether a file system could not be made because its class is not on the classpath (Hadoop configures
   * {@code fs.s3a.impl} but {@code hadoop-aws} is missing: a RuntimeException around ClassNotFoundException).
   */
  private static boolean classMissing(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ClassNotFoundException) {
        return true;
      }
    }
    return false;
  }

  /** Refuses a target that is a root, contains the working directory or an input. */
  private static void checkLocal(Path t, String out, Path... inputs) {
    if (t.getParent() == null || t.getFileName() == null) {
      throw new BadInputException("--out '" + out + "' is a file-system root; choose a directory below it");
    }
    Path cwd = real(Path.of("").toAbsolutePath());
    if (cwd != null && cwd.startsWith(t)) {
      throw new BadInputException("--out '" + out + "' contains the working directory" + resolvedNote(out, t)
          + "; refusing to replace it");
    }
    for (Path in : inputs) {
      if (in == null) {
        continue;
      }
      Path i = real(in.toAbsolutePath());
      if (i != null && i.startsWith(t)) {
        throw new BadInputException("--out '" + out + "' contains the input '" + in + "'"
            + (i.equals(in.toAbsolutePath().normalize()) ? "" : " (which is '" + i + "')")
            + resolvedNote(out, t) + "; write the output elsewhere");
      }
    }
  }

  private static String resolvedNote(String out, Path t) {
    Path given = Path.of(out).toAbsolutePath().normalize();
    return given.equals(t) ? "" : " (--out is '" + t + "')";
  }

  /** The real path of an existing {@code p}, or null if it does not exist or cannot be resolved. */
  private static Path real(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The real path of {@code abs}: symbolic links resolved; for a path that does not exist, the real path of its
   * nearest existing ancestor followed by the rest.
   */
  static Path realTarget(Path abs, String shown) {
    Deque<String> rest = new ArrayDeque<>();
    Path p = abs;
    while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      rest.push(p.getFileName().toString());
      p = p.getParent();
    }
    if (p == null) {
      throw new BadInputException("--out '" + printable(shown) + "': no part of the path exists");
    }
    Path r;
    try {
      r = p.toRealPath();
    } catch (IOException e) {
      throw new BadInputException("--out '" + printable(shown) + "': '" + p + "' is a symbolic link that leads "
          + "nowhere (" + reason(e) + ")", e);
    }
    while (!rest.isEmpty()) {
      r = r.resolve(rest.pop());
    }
    return r.normalize();
  }

  /** Refuses a target that is not a directory, is not empty (unless overwrite) or has a non-directory above. */
  private void checkState() {
    try {
      if (tree.exists(target) && !tree.isDirectory(target)) {
        throw new BadInputException("--out '" + shown + "' exists and is not a directory");
      }
      if (tree.isDirectory(target) && !tree.isEmptyDirectory(target) && !overwrite) {
        throw new BadInputException("--out '" + shown + "' exists and is not empty; choose another directory or "
            + "add --overwrite to replace it");
      }
      if (overwrite && tree.isDirectory(target) && !tree.isEmptyDirectory(target)
          && !tree.exists(tree.child(target, MARK_RUN)) && !tree.exists(tree.child(target, MARK_TWIN))) {
        throw new BadInputException("--out '" + shown + "' exists and is not an output of vi4dvar (it has no "
            + MARK_RUN + " or " + MARK_TWIN + "); --overwrite only replaces an earlier run or twin: choose "
            + "another directory, or remove this one yourself");
      }
      for (String p = tree.parent(target); p != null; p = tree.parent(p)) {
        if (tree.exists(p)) {
          if (!tree.isDirectory(p)) {
            throw new BadInputException("--out '" + shown + "': '" + tree.show(p) + "' is not a directory");
          }
          break;
        }
      }
    } catch (IOException e) {
      throw new BadInputException("--out '" + shown + "': cannot be inspected (" + reason(e) + ")", e);
    }
  }

  /** The target directory: its real absolute path (for a URI target, the URI's path component). */
  public Path target() {
    if (localTarget != null) {
      return localTarget;
    }
    return Path.of(URI.create(target).getPath());
  }

  /** The target as messages show it: the real local path, or the qualified URI. */
  public String location() {
    return localTarget != null && !staged ? localTarget.toString() : target;
  }

  /** Whether the target is on a Hadoop file system (a URI {@code --out}, {@code file://} included). */
  public boolean hadoop() {
    return staged;
  }

  /**
   * The local directory the driver writes into, which becomes the target at the commit (for a Hadoop target its
   * local staging copy, copied into {@link #tempUri()} at the commit); null before {@link #open}.
   */
  public Path temp() {
    synchronized (lock) {
      return temp;
    }
  }

  /**
   * The URI of the directory that becomes the target, on the target's file system: where executors write
   * ({@code file:/...} for a local target, {@code hdfs://...} etc. for a Hadoop one, through
   * {@code org.apache.hadoop.fs.FileSystem}); what they write there is kept at the commit. Null before
   * {@link #open}.
   */
  public String tempUri() {
    synchronized (lock) {
      if (wrapper == null) {
        return null;
      }
      return staged ? tree.child(wrapper, OUT) : temp.toUri().toString();
    }
  }

  /**
   * A local scratch directory inside the temporary sibling (or the staging directory), removed with it: for
   * Spark's local directories and the JVM's temporary files, so that a killed run leaves them where the next run
   * to the same target cleans up. Created on first use.
   */
  public Path scratch() throws IOException {
    synchronized (lock) {
      if (localWrapper == null) {
        throw new IllegalStateException("output directory not open");
      }
      Path s = localWrapper.resolve(SCRATCH);
      Files.createDirectories(s);
      return s;
    }
  }

  /** As {@link #open(Consumer)} without notes. */
  public void open() {
    open(s -> { });
  }

  /**
   * Takes the lock, removes what killed commands on this target left, creates the temporary sibling (and missing
   * parents of the target).
   *
   * @param notes receives one line per leftover removed or kept ({@code "removed ..."})
   * @throws BadInputException if the target's parent cannot be written or another command holds the lock
   */
  public void open(Consumer<String> notes) {
    synchronized (lock) {
      if (wrapper != null || aborted) {
        throw new IllegalStateException("already opened or aborted");
      }
      this.notes = notes;
      String parent = tree.parent(target);
      String name = tree.name(target);
      String step = "create a directory in '" + tree.show(parent) + "'";
      try {
        List<String> missing = new ArrayList<>();
        for (String p = parent; p != null && !tree.exists(p); p = tree.parent(p)) {
          missing.add(0, p);
        }
        for (String p : missing) {
          tree.createDirectory(p);
          createdParents.add(0, p);
        }
        step = "take the lock file '" + tree.show(tree.child(parent, "." + name + ".lock")) + "'";
        Owner[] holder = new Owner[1];
        held = tree.tryLock(tree.child(parent, "." + name + ".lock"), Owner.current(), holder);
        if (held == null) {
          removeCreatedParents();
          Owner h = holder[0];
          String lockFile = tree.show(tree.child(parent, "." + name + ".lock"));
          throw new BadInputException("--out '" + shown + "' is being written by another vi4dvar command"
              + (h == null ? "" : " (" + h.describe() + ")") + "; wait for it to finish or choose another "
              + "directory (lock file " + lockFile + (h == null || !h.local() ? "; if no such command runs any "
              + "more, delete the lock file" : "") + ")");
        }
        step = "clean up after earlier runs in '" + tree.show(parent) + "'";
        cleanStale(parent, name);
        if (staged) {
          cleanStaleStaging();
        }
        step = "create a directory in '" + tree.show(parent) + "'";
        for (int attempt = 0; wrapper == null; attempt++) {
          String w = tree.child(parent, "." + name + ".tmp-"
              + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
          try {
            tree.createDirectory(w);
            wrapper = w;
          } catch (java.nio.file.FileAlreadyExistsException e) {
            if (attempt > 100) {
              throw e;
            }
          }
        }
        tree.writeString(tree.child(wrapper, Owner.MARKER), Owner.current().line());
        tree.createDirectory(tree.child(wrapper, OUT));
        if (staged) {
          step = "create a staging directory in '" + System.getProperty("java.io.tmpdir") + "'";
          localWrapper = Files.createTempDirectory(STAGING_PREFIX + safe(name) + "-");
          Files.writeString(localWrapper.resolve(Owner.MARKER), Owner.current().line(), StandardCharsets.UTF_8);
          temp = Files.createDirectory(localWrapper.resolve(OUT));
        } else {
          localWrapper = Path.of(wrapper);
          temp = localWrapper.resolve(OUT);
        }
      } catch (IOException | RuntimeException e) {
        if (e instanceof BadInputException) {
          throw (BadInputException) e;
        }
        abortLocked();
        throw new BadInputException("--out '" + shown + "': cannot " + step + " (" + reason(e) + ")", e);
      }
    }
  }

  private static String safe(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.length() > 40 ? s.substring(0, 40) : s;
  }

  /** Removes the temporary siblings of {@code name} whose owner is gone (we hold the lock). */
  private void cleanStale(String parent, String name) throws IOException {
    for (String n : tree.list(parent, "." + name + ".tmp-")) {
      String w = tree.child(parent, n);
      Owner o = Owner.parse(tree.readSmall(tree.child(w, Owner.MARKER))).orElse(null);
      if (o == null) {
        continue; // not ours (or from a version without markers): never touched
      }
      if (!o.gone()) {
        notes.accept("left " + tree.show(w) + " alone: its owner (" + o.describe() + ") may still be running");
        continue;
      }
      String old = tree.child(w, OLD);
      if (tree.exists(old) && !tree.exists(target)) {
        tree.rename(old, target);
        notes.accept("restored the previous " + tree.show(target) + " from " + tree.show(w) + " (an earlier run ("
            + o.describe() + ") was killed while replacing it)");
      }
      tree.deleteRecursively(w);
      notes.accept("removed " + tree.show(w) + ", left by an earlier run that did not finish (" + o.describe()
          + ")");
    }
  }

  /** Removes the local staging directories of Hadoop outputs whose owner is gone. */
  private void cleanStaleStaging() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (var s = Files.newDirectoryStream(tmp, STAGING_PREFIX + "*")) {
      for (Path d : s) {
        Owner o = Owner.parse(LocalTree.INSTANCE.readSmall(d.resolve(Owner.MARKER).toString())).orElse(null);
        if (o != null && o.gone()) {
          LocalTree.deleteTree(d);
          notes.accept("removed " + d + ", left by an earlier run that did not finish (" + o.describe() + ")");
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a staging directory we cannot remove is not this run's problem
    }
  }

  /** Writes {@code content} (UTF-8) to {@code relative} inside the output, creating subdirectories. */
  @Override
  public void writeString(String relative, String content) throws IOException {
    synchronized (lock) {
      Path f = resolve(relative);
      Files.createDirectories(f.getParent());
      Files.writeString(f, content, StandardCharsets.UTF_8);
    }
  }

  /**
   * A writer of {@code relative} inside the output (UTF-8, buffered; subdirectories created), for files too large
   * to build as one string (covariances of large states, all sampled trajectories). Close it before
   * {@link #commit()}; an {@link #abort()} while it is open makes later writes fail.
   */
  @Override
  public java.io.Writer openWriter(String relative) throws IOException {
    synchronized (lock) {
      Path f = resolve(relative);
      Files.createDirectories(f.getParent());
      return Files.newBufferedWriter(f, StandardCharsets.UTF_8);
    }
  }

  /** A binary stream to {@code relative} inside the output (buffered; subdirectories created). */
  @Override
  public java.io.OutputStream openStream(String relative) throws IOException {
    synchronized (lock) {
      Path f = resolve(relative);
      Files.createDirectories(f.getParent());
      return new java.io.BufferedOutputStream(Files.newOutputStream(f));
    }
  }

  private Path resolve(String relative) throws IOException {
    if (aborted) {
      throw new IOException("output directory " + shown + " was aborted (interrupted?)");
    }
    if (temp == null || committed) {
      throw new IllegalStateException("output directory not open");
    }
    Path f = temp.resolve(relative).normalize();
    if (!f.startsWith(temp) || f.equals(temp)) {
      throw new IllegalArgumentException("'" + relative + "' is not a file inside the output directory");
    }
    return f;
  }

  /**
   * Renames the temporary directory into place (replacing an existing target if allowed).
   *
   * @throws OutputConflictException if the target appeared, not empty, while this command was writing (and
   *     {@code overwrite} was not given); this command's output is then removed
   */
  public void commit() throws IOException {
    synchronized (lock) {
      if (aborted) {
        throw new IOException("output directory " + shown + " was aborted (interrupted?)");
      }
      if (temp == null || committed) {
        throw new IllegalStateException("output directory not open");
      }
      String out = tree.child(wrapper, OUT);
      if (staged) {
        tree.upload(temp, out);
      }
      String old = null;
      if (tree.exists(target)) {
        if (tree.isDirectory(target) && tree.isEmptyDirectory(target)) {
          tree.deleteRecursively(target);
        } else if (overwrite && tree.isDirectory(target)) {
          old = tree.child(wrapper, OLD);
          tree.rename(target, old);
        } else {
          abortLocked();
          throw new OutputConflictException("--out '" + shown + "' was created by another program while this run "
              + "was writing (it holds no vi4dvar lock and is not empty); this run's output was removed: rerun "
              + "with another --out, or with --overwrite to replace it");
        }
      }
      try {
        tree.rename(out, target);
      } catch (IOException e) {
        if (old != null) {
          tree.rename(old, target);
        }
        throw e;
      }
      committed = true;
      cleanUp();
    }
  }

  /** After a commit: deletes the temporary sibling (with a replaced target) and the staging copy; unlocks. */
  private void cleanUp() {
    try {
      tree.deleteRecursively(wrapper);
    } catch (IOException e) {
      notes.accept("could not remove " + tree.show(wrapper) + " (" + reason(e) + "); the next run to this --out "
          + "removes it");
    }
    if (staged && localWrapper != null) {
      deleteQuietly(localWrapper);
    }
    unlock();
  }

  private void unlock() {
    Closeable h = held;
    held = null;
    if (h != null) {
      try {
        h.close();
      } catch (IOException e) {
        // the lock dies with the process anyway
      }
    }
  }

  @Override
  public String abortOnSignal() {
    synchronized (lock) {
      if (committed || aborted) {
        return null;
      }
      abortLocked();
      return "removed the partial output (" + location() + " was not written)";
    }
  }

  /** Deletes the temporary sibling and the parents this created; idempotent; no effect after a commit. */
  public void abort() {
    synchronized (lock) {
      abortLocked();
    }
  }

  private void abortLocked() {
    if (committed || aborted) {
      return;
    }
    aborted = true;
    if (wrapper != null) {
      deleteWithRetries(wrapper);
    }
    if (staged && localWrapper != null) {
      deleteQuietly(localWrapper);
    }
    unlock();
    removeCreatedParents();
  }

  /**
   * After an abort, once Spark has stopped (a shutdown hook): deletes what was still being written into the
   * scratch directory during the abort. Idempotent.
   */
  @Override
  public void purge() {
    synchronized (lock) {
      if (!aborted) {
        return;
      }
      try {
        if (wrapper != null && tree.exists(wrapper)) {
          tree.deleteRecursively(wrapper);
        }
      } catch (IOException e) {
        // best effort
      }
      if (localWrapper != null) {
        deleteQuietly(localWrapper);
      }
      removeCreatedParents();
    }
  }

  private void deleteWithRetries(String w) {
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        tree.deleteRecursively(w);
        return;
      } catch (IOException e) {
        // Spark may still be writing into scratch/ (a shutdown hook runs beside Spark's own): try again
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      LocalTree.deleteTree(p);
    } catch (IOException e) {
      // best effort
    }
  }

  private void removeCreatedParents() {
    for (String p : createdParents) {
      try {
        if (!tree.exists(p) || !tree.isEmptyDirectory(p)) {
          break; // something else wrote there, or gone
        }
        tree.deleteRecursively(p);
      } catch (IOException e) {
        break;
      }
    }
    createdParents.clear();
  }

  /** Whether {@link #commit()} succeeded. */
  public boolean committed() {
    synchronized (lock) {
      return committed;
    }
  }

  /** Aborts unless committed. */
  @Override
  public void close() {
    abort();
  }

  /** Deletes {@code dir} and everything below it, without following symbolic links. */
  static void deleteRecursively(Path dir) throws IOException {
    LocalTree.deleteTree(dir);
  }

  /**
   * The space a check of the output's size may count on in {@code dir}: its usable space, or unbounded on a
   * read-only file system — writing there fails anyway, and that error (with the operating system's words) is the
   * one to give, not "not enough space".
   */
  public static long writableSpace(Path dir) throws IOException {
    java.nio.file.FileStore store = Files.getFileStore(dir);
    return store.isReadOnly() ? Long.MAX_VALUE : store.getUsableSpace();
  }

  /**
   * The reason of an I/O failure for a message: the operating system's ({@code Read-only file system},
   * {@code No space left on device}, {@code permission denied}) when it gives one, else the message, else the
   * exception's class name.
   */
  public static String reason(Throwable e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "already exists";
    }
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason();
    }
    String m = e.getMessage();
    if (e instanceof java.io.FileNotFoundException && m != null) {
      // java.io's "path (Reason)"
      java.util.regex.Matcher r = Pattern.compile(".* \\(([^()]+)\\)$").matcher(m.strip());
      if (r.matches()) {
        return r.group(1);
      }
    }
    if (m != null && !m.isBlank()) {
      return printable(firstLine(m));
    }
    return e.getClass().getSimpleName();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl >= 0 ? s.substring(0, nl) : s;
  }

  /** {@code s} with control characters shown as {@code ?}. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return b.toString();
  }
}
