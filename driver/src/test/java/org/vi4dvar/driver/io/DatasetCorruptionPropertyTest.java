package org.vi4dvar.driver.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.testing.Cli;
import org.vi4dvar.driver.testing.Files2;
import org.vi4dvar.driver.testing.SharedSpark;
import org.vi4dvar.driver.testing.TestData;

/**
 * Issue 7, property: random corruptions of a valid dataset (the talk's) fed to {@code run --data} give either
 * success with a {@code summary.json} free of NaN, or exit code 2 with one clean line and no output; never a
 * stack trace, another exit code, or a half-written directory.
 */
class DatasetCorruptionPropertyTest extends SharedSpark {

  private static final int CASES = 250;

  private static final String[] TOKENS = {"", " ", "abc", "NaN", "nan", "Inf", "-Infinity", "1e999", "-1e400",
      "0", "-0.0", "-1", "1e-320", "0x10", "1d", "1.5.2", "--3", "+", "1e", "\"3\"", "∞", "1,2", ",", "\t",
      "1e308", "12 34", "٣", "\u0000", "x0", "1E+2", ".5", "5.", "+.5e-3", "NULL", "true"};

  @TempDir
  Path tmp;

  @Test
  void randomCorruptionsGiveSuccessOrOneCleanLineNeverAStackTrace() throws IOException {
    Random rnd = new Random(20240607);
    int ok = 0;
    int bad = 0;
    int special = 0;
    for (int c = 0; c < CASES; c++) {
      Path dir = tmp.resolve("c" + c);
      Path data = TestData.copyTalk(dir.resolve("data"));
      List<String> done = new ArrayList<>();
      int n = 1 + rnd.nextInt(3);
      for (int k = 0; k < n; k++) {
        done.add(corrupt(data, rnd));
      }
      special += done.stream().anyMatch(x -> x.contains("[file]")) ? 1 : 0;
      Path out = dir.resolve("out");
      Cli r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
          () -> Cli.run(sharedProvider(), "run", "--out", out.toString(), "--data", data.toString(), "--methods",
          "abc", "--set", "abc.trials=2000", "--set", "posterior.samples=20", "--set", "output.report=false"),
          "case " + c + " " + done + " blocked");
      String what = "case " + c + " " + done + ": exit " + r.code() + ", stderr: " + r.err();
      assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), what);
      if (r.code() == ExitCode.OK) {
        ok++;
        String summary = Files.readString(out.resolve("summary.json"));
        assertFalse(summary.contains("NaN") || summary.contains("Infinity"), what);
        assertTrue(summary.contains("\"non_finite_written_as_null\": 0"), what + "\n" + summary);
      } else if (r.code() == ExitCode.BAD_INPUT) {
        bad++;
        assertEquals(1, r.errLines().length, what);
        assertTrue(r.errLines()[0].startsWith("vi4dvar: error: "), what);
        assertTrue(r.err().contains(data.toString()), "the message names the file: " + what);
        assertFalse(TestData.outputLeft(out), what);
      } else {
        // issue 10 item 12: data that pass validation must not then fail the run (e.g. a huge background std
        // that overflows every prior draw is bad input, found at read time)
        fail(what);
      }
      Files2.deleteRecursively(dir);
    }
    assertTrue(ok > 10 && bad > 100, "both outcomes exercised: ok " + ok + ", bad " + bad);
    assertTrue(special >= 20, "file-level corruptions (links, pipes, encodings, sizes) exercised: " + special);
  }

  /**
   * Issue 10 items 4, 10, 11: a corruption of the file itself rather than of its text: a symbolic link (looping,
   * dangling, or valid), a named pipe, a directory, another encoding, NUL bytes, a byte-order mark, a size above
   * the cap.
   */
  private static String corruptFile(Path f, Random rnd) throws IOException {
    int op = rnd.nextInt(10);
    switch (op) {
      case 0:
        Files.delete(f);
        Files.createSymbolicLink(f, f);
        return "symlink loop";
      case 1:
        Files.delete(f);
        Files.createSymbolicLink(f, f.resolveSibling("gone.csv"));
        return "dangling symlink";
      case 2: {
        Path real = f.resolveSibling("real-" + f.getFileName());
        Files.move(f, real);
        Files.createSymbolicLink(f, real);
        return "valid symlink";
      }
      case 3:
        Files.delete(f);
        try {
          if (new ProcessBuilder("mkfifo", f.toString()).start().waitFor() != 0) {
            throw new IOException("mkfifo failed");
          }
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        return "named pipe";
      case 4:
        Files.delete(f);
        Files.createDirectory(f);
        return "directory";
      case 5: {
        String text = Files.readString(f);
        boolean bom = rnd.nextBoolean();
        Files.write(f, ((bom ? "\uFEFF" : "") + text).getBytes(rnd.nextBoolean() ? StandardCharsets.UTF_16LE
            : StandardCharsets.UTF_16BE));
        return "UTF-16" + (bom ? " with BOM" : "");
      }
      case 6: {
        byte[] b = Files.readAllBytes(f);
        b[rnd.nextInt(b.length)] = 0;
        Files.write(f, b);
        return "NUL byte";
      }
      case 7: {
        byte[] b = Files.readAllBytes(f);
        byte[] c = new byte[b.length + 3];
        c[0] = (byte) 0xEF;
        c[1] = (byte) 0xBB;
        c[2] = (byte) 0xBF;
        System.arraycopy(b, 0, c, 3, b.length);
        Files.write(f, c);
        return "UTF-8 BOM";
      }
      case 8: {
        byte[] b = Files.readAllBytes(f);
        b[rnd.nextInt(b.length)] = (byte) (0x80 + rnd.nextInt(0x40)); // a stray continuation byte
        Files.write(f, b);
        return "invalid UTF-8";
      }
      default:
        try (java.io.RandomAccessFile r = new java.io.RandomAccessFile(f.toFile(), "rw")) {
          r.setLength(DatasetReader.MAX_FILE_BYTES + 1 + rnd.nextInt(1000));
        }
        return "above the size cap (sparse)";
    }
  }

  /** Applies one random corruption to one random file of {@code data}; returns what it did. */
  private static String corrupt(Path data, Random rnd) throws IOException {
    String name = TestData.FILES[rnd.nextInt(TestData.FILES.length)];
    Path f = data.resolve(name);
    if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return name + ": already gone or not a regular file";
    }
    if (rnd.nextInt(4) == 0) {
      return name + " " + corruptFile(f, rnd) + " [file]";
    }
    String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8); // malformed bytes → U+FFFD
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    int op = rnd.nextInt(14);
    int row = lines.isEmpty() ? 0 : rnd.nextInt(lines.size());
    String desc = name + " op " + op + " row " + (row + 1);
    switch (op) {
      case 0:
      case 1:
      case 2:
      case 3: { // replace a field with a token
        if (lines.isEmpty()) {
          break;
        }
        String[] fs = lines.get(row).split(",", -1);
        int col = rnd.nextInt(fs.length);
        String tok = TOKENS[rnd.nextInt(TOKENS.length)];
        fs[col] = tok;
        lines.set(row, String.join(",", fs));
        desc += " col " + (col + 1) + " '" + tok + "'";
        break;
      }
      case 4: { // a random finite number
        if (lines.isEmpty()) {
          break;
        }
        String[] fs = lines.get(row).split(",", -1);
        int col = rnd.nextInt(fs.length);
        fs[col] = Double.toString(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 4));
        lines.set(row, String.join(",", fs));
        desc += " col " + (col + 1) + " number";
        break;
      }
      case 5:
        if (!lines.isEmpty()) {
          lines.remove(row);
        }
        break;
      case 6:
        if (!lines.isEmpty()) {
          lines.add(row, lines.get(row));
        }
        break;
      case 7:
        lines.add(0, "t,x0,x1,x2");
        break;
      case 8:
        lines.clear();
        break;
      case 9:
        Files.delete(f);
        return desc + " deleted";
      case 10:
        if (!lines.isEmpty()) {
          lines.set(row, lines.get(row) + ",");
        }
        break;
      case 11:
        lines.add(row, "");
        break;
      case 12: {
        byte[] junk = new byte[1 + rnd.nextInt(200)];
        rnd.nextBytes(junk);
        Files.write(f, junk);
        return desc + " binary";
      }
      default: { // truncate at a random character
        String all = String.join("\n", lines);
        Files.writeString(f, all.substring(0, rnd.nextInt(all.length() + 1)));
        return desc + " truncated";
      }
    }
    Files.writeString(f, lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
    return desc;
  }
}
