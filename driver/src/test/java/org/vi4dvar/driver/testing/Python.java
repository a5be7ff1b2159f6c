package org.vi4dvar.driver.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs python3 scripts from the tests (reading back NetCDF files with scipy, and with xarray where installed).
 * The interpreter is {@code python3} on the PATH, or the system property {@code vi4dvar.python}. A test that
 * needs Python is skipped, saying so, only when the interpreter itself is missing; a missing numpy or scipy is a
 * failure (they are part of the machines' set-up).
 */
public final class Python {

  private Python() {
  }

  /** The interpreter. */
  public static String interpreter() {
    return System.getProperty("vi4dvar.python", "python3");
  }

  /** Skips the calling test unless the interpreter runs. */
  public static void require() {
    boolean ok;
    try {
      Process p = new ProcessBuilder(interpreter(), "-c", "pass").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      ok = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
    }
    assumeTrue(ok, interpreter() + " is not available: the NetCDF read-back tests need python3 with numpy and "
        + "scipy (set -Dvi4dvar.python=/path/to/python3 to choose one)");
  }

  /** Whether the interpreter can import {@code module}. */
  public static boolean has(String module) {
    try {
      Process p = new ProcessBuilder(interpreter(), "-c", "import " + module).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Copies the test resource {@code resource} (e.g. {@code /netcdf/ncdump.py}) into {@code dir}. */
  public static Path script(String resource, Path dir) {
    try (InputStream in = Python.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + resource);
      }
      Path f = dir.resolve(Path.of(resource).getFileName().toString());
      Files.write(f, in.readAllBytes());
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The first interpreter that imports every one of {@code modules}: {@link #interpreter()}, else the system's
   * {@code /usr/bin/python3} (Debian's python3-pandas and python3-xarray install there, beside a pyenv python3
   * that may have only numpy and scipy); null if none does.
   */
  public static String with(String... modules) {
    String imports = "import " + String.join(", ", modules);
    for (String py : new String[] {interpreter(), "/usr/bin/python3"}) {
      try {
        Process p = new ProcessBuilder(py, "-c", imports).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return py;
        }
      } catch (IOException e) {
        // not there: try the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  /**
   * {@link #with} {@code modules}, else {@link #interpreter()}: for a script that uses {@code modules} where they
   * are installed and says so (e.g. the xarray read-back of posterior.nc).
   */
  public static String preferring(String... modules) {
    String py = with(modules);
    return py != null ? py : interpreter();
  }

  /** Runs {@code script args...}; asserts exit code 0 and returns stdout (stderr goes into the assertion). */
  public static String run(Path script, String... args) {
    return runWith(interpreter(), script, args);
  }

  /** {@link #run} with the interpreter {@code python}. */
  public static String runWith(String python, Path script, String... args) {
    List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
    cmd.addAll(Arrays.asList(args));
    try {
      Path err = Files.createTempFile("vi4dvar-python", ".err");
      try {
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python did not finish: " + cmd);
        String e = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "python failed: " + cmd + "\n" + e);
        return new String(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@link #run} with stdout parsed as JSON. */
  public static JsonNode json(Path script, String... args) {
    try {
      return new ObjectMapper().readTree(run(script, args));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
