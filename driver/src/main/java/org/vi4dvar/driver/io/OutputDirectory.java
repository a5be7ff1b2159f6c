package org.vi4dvar.driver.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.vi4dvar.driver.BadInputException;

/**
 * The output directory of a command, all or nothing: everything is written into a temporary sibling
 * directory ({@code .<name>.tmp-*} next to the target), which {@link #commit()} renames into place; on a failure
 * or an interrupt {@link #abort()} deletes it (and any parent directories this created), so a run leaves
 * either the complete directory or nothing.
 *
 * <p>An existing non-empty target is refused unless {@code overwrite}; then it is replaced only at the commit
 * (renamed aside, the new one renamed in, the old one deleted). Writes and {@link #abort()} are mutually
 * exclusive, so an abort from a shutdown hook never races with a half-written file.
 */
public final class OutputDirectory implements AutoCloseable, org.vi4dvar.driver.output.OutputSink {

  private final Path target;
  private final boolean overwrite;
  private final Object lock = new Object();
  private final List<Path> createdParents = new ArrayList<>();
  private Path temp;
  private boolean committed;
  private boolean aborted;

  private OutputDirectory(Path target, boolean overwrite) {
    this.target = target;
    this.overwrite = overwrite;
  }

  /**
   * Checks {@code --out} without creating anything.
   *
   * @param out the target directory as given
   * @param overwrite whether an existing non-empty target may be replaced
   * @param inputs paths read by the command (data directory, config file), which the target must not contain
   * @throws BadInputException when the target cannot or must not be used
   */
  public static OutputDirectory check(Path out, boolean overwrite, Path... inputs) {
    Path t = out.toAbsolutePath().normalize();
    if (t.getParent() == null || t.getFileName() == null) {
      throw new BadInputException("--out '" + out + "' is a file-system root; choose a directory below it");
    }
    if (Files.exists(t) && !Files.isDirectory(t)) {
      throw new BadInputException("--out '" + out + "' exists and is not a directory");
    }
    Path cwd = Path.of("").toAbsolutePath().normalize();
    if (cwd.startsWith(t)) {
      throw new BadInputException("--out '" + out + "' contains the working directory; refusing to replace it");
    }
    for (Path in : inputs) {
      if (in == null) {
        continue;
      }
      Path i = in.toAbsolutePath().normalize();
      if (i.startsWith(t)) {
        throw new BadInputException("--out '" + out + "' contains the input '" + in
            + "'; write the output elsewhere");
      }
    }
    if (Files.isDirectory(t) && !isEmptyDir(t) && !overwrite) {
      throw new BadInputException("--out '" + out + "' exists and is not empty; choose another directory or "
          + "add --overwrite to replace it");
    }
    for (Path p = t.getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new BadInputException("--out '" + out + "': '" + p + "' is not a directory");
        }
        break;
      }
    }
    return new OutputDirectory(t, overwrite);
  }

  private static boolean isEmptyDir(Path d) {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
      return !s.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }

  /** The target directory (absolute). */
  public Path target() {
    return target;
  }

  /** The temporary directory being written, or null before {@link #open()}. */
  public Path temp() {
    synchronized (lock) {
      return temp;
    }
  }

  /**
   * Creates the temporary directory (and missing parents of the target).
   *
   * @throws BadInputException if the target's parent cannot be written
   */
  public void open() {
    synchronized (lock) {
      if (temp != null || aborted) {
        throw new IllegalStateException("already opened or aborted");
      }
      Path parent = target.getParent();
      try {
        List<Path> missing = new ArrayList<>();
        for (Path p = parent; p != null && !Files.exists(p); p = p.getParent()) {
          missing.add(0, p);
        }
        for (Path p : missing) {
          Files.createDirectory(p);
          createdParents.add(0, p);
        }
        // createDirectory (not createTempDirectory, which is rwx------): the result gets the user's umask
        for (int attempt = 0; temp == null; attempt++) {
          Path p = parent.resolve("." + target.getFileName() + ".tmp-" + Long.toUnsignedString(
              ThreadLocalRandom.current().nextLong(), 36));
          try {
            Files.createDirectory(p);
            temp = p;
          } catch (java.nio.file.FileAlreadyExistsException e) {
            if (attempt > 100) {
              throw e;
            }
          }
        }
      } catch (IOException e) {
        removeCreatedParents();
        throw new BadInputException("--out '" + target + "': cannot create a directory in '" + parent + "' ("
            + e.getClass().getSimpleName() + ")", e);
      }
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
      throw new IOException("output directory " + target + " was aborted (interrupted?)");
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

  /** Renames the temporary directory into place (replacing an existing target if allowed). */
  public void commit() throws IOException {
    synchronized (lock) {
      if (aborted) {
        throw new IOException("output directory " + target + " was aborted (interrupted?)");
      }
      if (temp == null || committed) {
        throw new IllegalStateException("output directory not open");
      }
      Path old = null;
      if (Files.exists(target)) {
        if (Files.isDirectory(target) && isEmptyDir(target)) {
          Files.delete(target);
        } else if (overwrite && Files.isDirectory(target)) {
          old = target.resolveSibling("." + target.getFileName() + ".old-" + temp.getFileName());
          move(target, old);
        } else {
          throw new IOException("'" + target + "' appeared while the run was writing; the output is left in "
              + temp);
        }
      }
      try {
        move(temp, target);
      } catch (IOException e) {
        if (old != null) {
          move(old, target);
        }
        throw e;
      }
      committed = true;
      if (old != null) {
        deleteRecursively(old);
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Deletes the temporary directory and the parents this created; idempotent; no effect after a commit. */
  public void abort() {
    synchronized (lock) {
      if (committed || aborted) {
        return;
      }
      aborted = true;
      if (temp != null) {
        try {
          deleteRecursively(temp);
        } catch (IOException e) {
          // best effort: nothing else can be done on the way out
        }
      }
      removeCreatedParents();
    }
  }

  private void removeCreatedParents() {
    for (Path p : createdParents) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        break; // not empty (something else wrote there) or gone
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
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw exc;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
