package org.vi4dvar.driver.io;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A directory tree on a Hadoop file system ({@code hdfs://}, {@code s3a://}, {@code file://}, ...), through
 * {@link FileSystem} from the Hadoop client that Spark brings. Paths are fully qualified URI strings. For
 * {@code file://} the raw local file system is used (no {@code .crc} side files).
 *
 * <p>What is atomic depends on the file system: {@code rename} is atomic on HDFS and on POSIX file systems; on
 * S3 (s3a) it is a copy followed by a delete, so a reader can see a partly renamed directory, and
 * {@code create(overwrite = false)} of the lock file is a check-then-write, not an atomic exclusive create.
 */
final class HadoopTree implements Tree {

  private final FileSystem fs;

  private HadoopTree(FileSystem fs) {
    this.fs = fs;
  }

  /**
   * The file system of {@code uri}.
   *
   * @param props Hadoop properties to set ({@code spark.hadoop.*} of the Spark configuration, prefix removed)
   * @throws IOException if no file system serves the scheme ({@code UnsupportedFileSystemException}) or it
   *     cannot be reached
   */
  static HadoopTree of(URI uri, Map<String, String> props) throws IOException {
    Configuration conf = new Configuration();
    for (Map.Entry<String, String> e : props.entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    FileSystem fs = FileSystem.get(uri, conf);
    if (fs instanceof LocalFileSystem) {
      fs = ((LocalFileSystem) fs).getRawFileSystem();
    }
    return new HadoopTree(fs);
  }

  /** {@code uri} qualified by this file system (scheme and authority filled in). */
  String qualify(URI uri) {
    return fs.makeQualified(new Path(uri)).toString();
  }

  private static Path p(String s) {
    return new Path(s);
  }

  @Override
  public boolean exists(String p) throws IOException {
    return fs.exists(p(p));
  }

  @Override
  public boolean isDirectory(String p) throws IOException {
    try {
      return fs.getFileStatus(p(p)).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  @Override
  public boolean isEmptyDirectory(String p) throws IOException {
    return fs.listStatus(p(p)).length == 0;
  }

  @Override
  public void createDirectory(String p) throws IOException {
    Path q = p(p);
    if (fs.exists(q)) {
      throw new java.nio.file.FileAlreadyExistsException(p);
    }
    mkdirs(q);
  }

  @Override
  public void createDirectories(String p) throws IOException {
    mkdirs(p(p));
  }

  /**
   * {@link FileSystem#mkdirs}, which only answers false on a failure: then the reason comes from creating a probe
   * file in the nearest existing ancestor, which fails with the file system's own message (permission denied,
   * read-only file system, ...).
   */
  private void mkdirs(Path q) throws IOException {
    if (fs.mkdirs(q)) {
      return;
    }
    Path a = q.getParent();
    while (a != null && !fs.exists(a)) {
      a = a.getParent();
    }
    if (a != null) {
      Path probe = new Path(a, ".vi4dvar-probe-" + Long.toUnsignedString(System.nanoTime(), 36));
      try {
        fs.create(probe, false).close();
        fs.delete(probe, false);
      } catch (IOException e) {
        throw new IOException(OutputDirectory.reason(e), e);
      }
    }
    throw new IOException("cannot create the directory " + q);
  }

  @Override
  public void writeString(String p, String text) throws IOException {
    try (FSDataOutputStream out = fs.create(p(p), false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public String readSmall(String p) {
    try {
      FileStatus st = fs.getFileStatus(p(p));
      if (!st.isFile() || st.getLen() > 4096) {
        return null;
      }
      try (InputStream in = fs.open(p(p))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public List<String> list(String dir, String prefix) throws IOException {
    List<String> out = new ArrayList<>();
    for (FileStatus st : fs.listStatus(p(dir))) {
      String n = st.getPath().getName();
      if (n.startsWith(prefix)) {
        out.add(n);
      }
    }
    return out;
  }

  @Override
  public void rename(String from, String to) throws IOException {
    // FileSystem.rename moves `from` INTO `to` when `to` is a directory: refuse an existing target first
    if (fs.exists(p(to))) {
      throw new java.nio.file.FileAlreadyExistsException(to);
    }
    if (!fs.rename(p(from), p(to))) {
      throw new IOException("cannot rename " + from + " to " + to);
    }
  }

  @Override
  public void deleteRecursively(String p) throws IOException {
    Path q = p(p);
    if (fs.exists(q) && !fs.delete(q, true) && fs.exists(q)) {
      throw new IOException("cannot delete " + p);
    }
  }

  @Override
  public void upload(java.nio.file.Path localDir, String dir) throws IOException {
    fs.mkdirs(p(dir));
    try (DirectoryStream<java.nio.file.Path> s = Files.newDirectoryStream(localDir)) {
      for (java.nio.file.Path e : s) {
        String target = child(dir, e.getFileName().toString());
        if (Files.isDirectory(e, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          upload(e, target);
        } else if (Files.isRegularFile(e, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          try (InputStream in = Files.newInputStream(e); OutputStream out = fs.create(p(target), true)) {
            in.transferTo(out);
          }
        }
      }
    }
  }

  @Override
  public Closeable tryLock(String p, Owner self, Owner[] holder) throws IOException {
    Path q = p(p);
    for (int attempt = 0; attempt < 2; attempt++) {
      try (FSDataOutputStream out = fs.create(q, false)) {
        out.write(self.line().getBytes(StandardCharsets.UTF_8));
      } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
        Owner o = Owner.parse(readSmall(p)).orElse(null);
        if (o != null && o.gone()) {
          fs.delete(q, false); // stale: its owner died without removing it
          continue;
        }
        holder[0] = o;
        return null;
      } catch (IOException e) {
        if (fs.exists(q) && attempt == 0) {
          // some file systems report an existing file with a plain IOException
          Owner o = Owner.parse(readSmall(p)).orElse(null);
          if (o != null && o.gone()) {
            fs.delete(q, false);
            continue;
          }
          holder[0] = o;
          return null;
        }
        throw e;
      }
      return () -> fs.delete(q, false);
    }
    holder[0] = Owner.parse(readSmall(p)).orElse(null);
    return null;
  }

  @Override
  public String child(String dir, String name) {
    return new Path(p(dir), name).toString();
  }

  @Override
  public String parent(String p) {
    Path q = p(p).getParent();
    return q == null ? null : q.toString();
  }

  @Override
  public String name(String p) {
    return p(p).getName();
  }

  @Override
  public String show(String p) {
    return p;
  }
}
