package org.vi4dvar.driver.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.vi4dvar.driver.io.Abortable;
import org.vi4dvar.driver.io.Owner;
import org.vi4dvar.driver.io.OutputDirectory;

/**
 * The report's files of a directory, replaced all or nothing: the new {@code figures/} and the page
 * ({@code report.html} of a run, {@code calibration.html} of a calibration) are written into a hidden staging
 * directory {@code DIR/.report.tmp-<random>/} (with an {@link Owner} marker)
 * and swapped in by {@link #commit()} — the old ones moved into the staging directory, the new ones renamed into
 * place, the staging directory deleted; a failed step puts back what it moved. Until the swap a failure, a
 * SIGTERM ({@link #abortOnSignal()}) or a SIGKILL leaves the old figures and page as they were; the next
 * {@link #open} of the directory removes a killed command's staging directory (putting back an old
 * {@code figures/} or page that it had already moved aside).
 *
 * <p>{@code figures/} is replaced as a whole: if it holds anything but regular {@code *.png} files,
 * {@link #open} refuses ({@link IllegalStateException} with the reason) rather than delete it. A symbolic link
 * {@code figures} is replaced by a directory; what it pointed to is not touched.
 */
final class ReportFiles implements Abortable, AutoCloseable {

  static final String FIGURES = "figures";
  static final String PAGE = "report.html";
  private static final String STAGING_PREFIX = ".report.tmp-";
  private static final String OLD_FIGURES = "old-figures";
  /** What the old page is called in the staging directory: {@code old-} and its name. */
  private static final String OLD = "old-";

  private final Path dir;
  private final Path staging;
  private final String page;
  private final Object lock = new Object();
  private boolean committed;
  private boolean aborted;

  private ReportFiles(Path dir, Path staging, String page) {
    this.dir = dir;
    this.staging = staging;
    this.page = page;
  }

  /** As {@link #open(Path, String, Consumer)} for a run's {@value #PAGE}. */
  static ReportFiles open(Path dir, Consumer<String> notes) throws IOException {
    return open(dir, PAGE, notes);
  }

  /**
   * Creates the staging directory in {@code dir} after removing what killed commands left there.
   *
   * @param pageName the page's file name ({@code report.html}, {@code calibration.html})
   * @param notes receives one line per leftover removed or restored
   * @throws IllegalStateException if {@code dir/figures} holds something that is not a figure, the page is not a
   *     file, or {@code dir} cannot be written
   */
  static ReportFiles open(Path dir, String pageName, Consumer<String> notes) throws IOException {
    cleanStale(dir, notes);
    Path figures = dir.resolve(FIGURES);
    if (Files.isDirectory(figures, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(figures)) {
        for (Path p : s) {
          String n = p.getFileName().toString();
          if (!n.endsWith(".png") || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException(figures + " holds '" + n + "', which is not a figure (a regular *.png "
                + "file); the report replaces figures/ as a whole: move it elsewhere first");
          }
        }
      }
    } else if (Files.exists(figures, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(figures)) {
      throw new IllegalStateException(figures + " exists and is not a directory");
    }
    Path page = dir.resolve(pageName);
    if (Files.exists(page, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(page, LinkOption.NOFOLLOW_LINKS)
        && !Files.isSymbolicLink(page)) {
      throw new IllegalStateException(page + " exists and is not a regular file");
    }
    Path staging;
    try {
      staging = Owner.createMarkedDirectory(dir, STAGING_PREFIX);
    } catch (java.nio.file.FileSystemException e) {
      // the first write: a directory that cannot be written (read-only file system, permissions) is the
      // request's fault, said with the operating system's reason
      throw new IllegalStateException("cannot write in '" + dir + "' (" + OutputDirectory.reason(e) + ")", e);
    }
    Files.createDirectory(staging.resolve(FIGURES));
    return new ReportFiles(dir, staging, pageName);
  }

  /** Removes the staging directories of killed commands, putting back an old figures/ or page moved aside. */
  private static void cleanStale(Path dir, Consumer<String> notes) throws IOException {
    for (Path p : Owner.staleDirectories(dir, STAGING_PREFIX, notes)) {
      String owner = Owner.of(p).map(Owner::describe).orElse("");
      restore(p.resolve(OLD_FIGURES), dir.resolve(FIGURES), notes);
      List<Path> oldPages = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(p, OLD + "*.html")) {
        for (Path q : s) {
          oldPages.add(q);
        }
      }
      for (Path q : oldPages) {
        restore(q, dir.resolve(q.getFileName().toString().substring(OLD.length())), notes);
      }
      OutputDirectory.deleteLocalTree(p);
      notes.accept("removed " + p + ", left by an earlier report that did not finish (" + owner + ")");
    }
  }

  private static void restore(Path old, Path target, Consumer<String> notes) throws IOException {
    if (Files.exists(old, LinkOption.NOFOLLOW_LINKS) && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      notes.accept("restored " + target + " (an earlier report was killed while replacing it)");
    }
  }

  /** Where the new figures go. */
  Path figures() {
    return staging.resolve(FIGURES);
  }

  /** Where the new page goes. */
  Path page() {
    return staging.resolve(page);
  }

  /** Writes {@code bytes} to the new file {@code target} (inside the staging directory). */
  void write(Path target, byte[] bytes) throws IOException {
    synchronized (lock) {
      if (aborted) {
        throw new IOException("the report of " + dir + " was aborted (interrupted?)");
      }
      Files.write(target, bytes);
    }
  }

  /** Swaps the new figures and page in; on a failure, puts the old ones back. */
  void commit() throws IOException {
    synchronized (lock) {
      if (aborted) {
        throw new IOException("the report of " + dir + " was aborted (interrupted?)");
      }
      Deque<Path[]> moved = new ArrayDeque<>();
      try {
        move(dir.resolve(page), staging.resolve(OLD + page), moved);
        move(dir.resolve(FIGURES), staging.resolve(OLD_FIGURES), moved);
        move(staging.resolve(FIGURES), dir.resolve(FIGURES), moved);
        move(staging.resolve(page), dir.resolve(page), moved);
      } catch (IOException | RuntimeException e) {
        while (!moved.isEmpty()) {
          Path[] m = moved.pop();
          try {
            Files.move(m[1], m[0], StandardCopyOption.ATOMIC_MOVE);
          } catch (IOException undo) {
            e.addSuppressed(undo);
          }
        }
        throw e;
      }
      committed = true;
      try {
        OutputDirectory.deleteLocalTree(staging);
      } catch (IOException e) {
        // the old figures stay in the hidden staging directory; the next report removes it
      }
    }
  }

  private static void move(Path from, Path to, Deque<Path[]> moved) throws IOException {
    if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    moved.push(new Path[] {from, to});
  }

  @Override
  public String abortOnSignal() {
    synchronized (lock) {
      if (committed || aborted) {
        return null;
      }
      abortLocked();
      return "the figures and " + page + " of " + dir + " are unchanged";
    }
  }

  /** Deletes the staging directory unless committed. */
  @Override
  public void close() {
    synchronized (lock) {
      abortLocked();
    }
  }

  private void abortLocked() {
    if (committed || aborted) {
      return;
    }
    aborted = true;
    try {
      OutputDirectory.deleteLocalTree(staging);
    } catch (IOException e) {
      // best effort: a hidden staging directory with a marker; the next report removes it
    }
  }
}
