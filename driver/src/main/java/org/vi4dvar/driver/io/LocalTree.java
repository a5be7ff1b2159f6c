package org.vi4dvar.driver.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A local directory tree through java.nio. Locks are POSIX advisory locks ({@link FileChannel#tryLock()}), which
 * the kernel releases when their process dies, even by SIGKILL: a lock file left behind is free to take.
 */
final class LocalTree implements Tree {

  static final LocalTree INSTANCE = new LocalTree();

  private LocalTree() {
  }

  @Override
  public boolean exists(String p) {
    return Files.exists(Path.of(p), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public boolean isDirectory(String p) {
    return Files.isDirectory(Path.of(p));
  }

  @Override
  public boolean isEmptyDirectory(String p) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of(p))) {
      return !s.iterator().hasNext();
    }
  }

  @Override
  public void createDirectory(String p) throws IOException {
    // createDirectory (not createTempDirectory, which is rwx------): the result gets the user's umask
    Files.createDirectory(Path.of(p));
  }

  @Override
  public void createDirectories(String p) throws IOException {
    Files.createDirectories(Path.of(p));
  }

  @Override
  public void writeString(String p, String text) throws IOException {
    Files.writeString(Path.of(p), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
  }

  @Override
  public String readSmall(String p) {
    Path f = Path.of(p);
    try {
      if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > 4096) {
        return null;
      }
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public List<String> list(String dir, String prefix) throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of(dir), prefix.replace("*", "\\*") + "*")) {
      for (Path e : s) {
        out.add(e.getFileName().toString());
      }
    }
    return out;
  }

  @Override
  public void rename(String from, String to) throws IOException {
    Path t = Path.of(to);
    if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
      throw new java.nio.file.FileAlreadyExistsException(to);
    }
    // rename(2) within one directory tree of one file system: atomic
    Files.move(Path.of(from), t, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void deleteRecursively(String p) throws IOException {
    deleteTree(Path.of(p));
  }

  /** Deletes {@code dir} and everything below it, without following symbolic links; no error if absent. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
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
        if (exc != null && !(exc instanceof NoSuchFileException)) {
          throw exc;
        }
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  @Override
  public void upload(Path localDir, String dir) {
    throw new UnsupportedOperationException("a local output is written in place");
  }

  @Override
  public Closeable tryLock(String p, Owner self, Owner[] holder) throws IOException {
    Path f = Path.of(p);
    for (int attempt = 0; attempt < 20; attempt++) {
      // A holder deletes the lock file before it releases the lock, so the file a channel locked may no longer be
      // the one the path names: compare the path's file key before opening and after locking.
      Object before = key(f);
      FileChannel ch;
      try {
        ch = before == null
            ? FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
            : FileChannel.open(f, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      } catch (java.nio.file.FileAlreadyExistsException | NoSuchFileException e) {
        continue;
      }
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // another command of this JVM holds it
      } catch (IOException e) {
        ch.close();
        throw e;
      }
      if (lock == null) {
        ch.close();
        holder[0] = Owner.parse(readSmall(p)).orElse(null);
        return null;
      }
      Object after = key(f);
      if (after == null || (before != null && !before.equals(after))) {
        ch.close();
        continue;
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(self.line().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
      final FileChannel held = ch;
      return () -> {
        try {
          Files.deleteIfExists(f);
        } finally {
          held.close(); // releases the lock
        }
      };
    }
    throw new IOException("the lock file " + p + " keeps being replaced");
  }

  private static Object key(Path f) throws IOException {
    try {
      Object k = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
      return k == null ? "(a file without a key)" : k;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public String child(String dir, String name) {
    return Path.of(dir).resolve(name).toString();
  }

  @Override
  public String parent(String p) {
    Path q = Path.of(p).getParent();
    return q == null ? null : q.toString();
  }

  @Override
  public String name(String p) {
    Path n = Path.of(p).getFileName();
    return n == null ? "" : n.toString();
  }

  @Override
  public String show(String p) {
    return p;
  }
}
