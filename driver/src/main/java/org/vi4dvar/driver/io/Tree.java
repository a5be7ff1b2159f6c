package org.vi4dvar.driver.io;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The few file-system operations an {@link OutputDirectory} needs, on absolute path strings: a local directory
 * through java.nio ({@link LocalTree}, the fast path) or any Hadoop file system ({@link HadoopTree}).
 */
interface Tree {

  /** Whether {@code p} exists (a symbolic link counts, even dangling). */
  boolean exists(String p) throws IOException;

  /** Whether {@code p} is a directory. */
  boolean isDirectory(String p) throws IOException;

  /** Whether {@code p} is a directory with no entry. */
  boolean isEmptyDirectory(String p) throws IOException;

  /** Creates directory {@code p}; fails if it exists or its parent does not. */
  void createDirectory(String p) throws IOException;

  /** Creates {@code p} and its missing parents. */
  void createDirectories(String p) throws IOException;

  /** Writes a new file {@code p} (UTF-8). */
  void writeString(String p, String text) throws IOException;

  /** The content of file {@code p} (UTF-8, at most a few KB read), or null if it cannot be read. */
  String readSmall(String p);

  /** Names of the entries of {@code dir} that start with {@code prefix}. */
  List<String> list(String dir, String prefix) throws IOException;

  /** Renames {@code from} to {@code to}, which must not exist. */
  void rename(String from, String to) throws IOException;

  /** Deletes {@code p} and everything below it, never following symbolic links; no error if absent. */
  void deleteRecursively(String p) throws IOException;

  /** Copies the local directory tree {@code localDir} into {@code dir} (merging with what is there). */
  void upload(java.nio.file.Path localDir, String dir) throws IOException;

  /**
   * Takes the lock file {@code p} for {@code self}, or returns null if a live process holds it (its owner, if
   * known, in {@code holder[0]}). A lock whose owner is gone is taken over.
   */
  Closeable tryLock(String p, Owner self, Owner[] holder) throws IOException;

  /** {@code dir/name}. */
  String child(String dir, String name);

  /** The parent of {@code p}, or null for a root. */
  String parent(String p);

  /** The last component of {@code p}. */
  String name(String p);

  /** {@code p} as the user should see it (a local path, or a URI). */
  String show(String p);
}
