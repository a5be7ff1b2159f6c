package org.vi4dvar.driver.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A read-only file system for a test (issue 10 item 14: "Read-only file system" must reach the user): an empty
 * tmpfs mounted read-only at a fresh directory, unmounted by {@link #close}. Needs the right to mount (root in a
 * container that allows it); where that is missing the test is skipped — permission bits are no substitute,
 * root ignores them.
 */
public final class ReadOnlyMount implements AutoCloseable {

  /** Where the read-only file system is. */
  public final Path dir;

  private ReadOnlyMount(Path dir) {
    this.dir = dir;
  }

  /** Mounts a read-only tmpfs at {@code dir} (created), or skips the test when this machine does not allow it. */
  public static ReadOnlyMount at(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    boolean mounted = run("mount", "-t", "tmpfs", "-o", "ro,size=64k", "vi4dvar-test", dir.toString());
    Assumptions.assumeTrue(mounted, "cannot mount a read-only tmpfs here (needs root and mount)");
    ReadOnlyMount m = new ReadOnlyMount(dir);
    if (canCreate(dir)) {
      m.close();
      Assumptions.abort("the tmpfs mounted at " + dir + " is writable");
    }
    return m;
  }

  /**
   * Shows {@code source} read-only at {@code dir} (created): a bind mount remounted read-only, or skips the test
   * when this machine does not allow it.
   */
  public static ReadOnlyMount of(Path source, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    boolean bound = run("mount", "--bind", source.toString(), dir.toString());
    Assumptions.assumeTrue(bound, "cannot bind-mount here (needs root and mount)");
    ReadOnlyMount m = new ReadOnlyMount(dir);
    if (!run("mount", "-o", "remount,ro,bind", dir.toString()) || canCreate(dir)) {
      m.close();
      Assumptions.abort("cannot make the bind mount at " + dir + " read-only");
    }
    return m;
  }

  private static boolean canCreate(Path dir) {
    try {
      Files.delete(Files.createFile(dir.resolve("probe")));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean run(String... cmd) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (!run("umount", dir.toString())) {
        throw new IOException("could not unmount the test's read-only tmpfs at " + dir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while unmounting " + dir, e);
    }
  }
}
