package org.vi4dvar.driver.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.testing.TestData;

class OutputDirectoryTest {

  @TempDir
  Path tmp;

  @Test
  void nothingIsVisibleUntilCommitThenEverything() throws IOException {
    Path out = tmp.resolve("a/b/out");
    try (OutputDirectory o = OutputDirectory.check(out, false)) {
      o.open();
      o.writeString("summary.json", "{}\n");
      o.writeString("abc/mean.csv", "1.0\n");
      assertFalse(Files.exists(out));
      assertTrue(Files.isDirectory(o.temp()));
      assertEquals(out.getParent(), o.temp().getParent());
      o.commit();
    }
    assertEquals("1.0\n", Files.readString(out.resolve("abc/mean.csv")));
    assertTrue(Files.getPosixFilePermissions(out).contains(PosixFilePermission.OTHERS_READ),
        "the user's umask, not rwx------");
    assertFalse(TestData.outputLeft(tmp.resolve("a/b/other")));
  }

  @Test
  void abortRemovesTheTemporaryDirectoryAndTheParentsItCreated() throws IOException {
    Path out = tmp.resolve("x/y/out");
    OutputDirectory o = OutputDirectory.check(out, false);
    o.open();
    o.writeString("f.txt", "partial");
    o.close();
    assertFalse(Files.exists(tmp.resolve("x")));
    assertThrows(IOException.class, () -> o.writeString("g.txt", "late"));
    assertThrows(IOException.class, o::commit);
  }

  @Test
  void existingNonEmptyIsRefusedUnlessOverwriteThenReplacedAtCommitOnly() throws IOException {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("old.txt"), "old");
    BadInputException e = assertThrows(BadInputException.class, () -> OutputDirectory.check(out, false));
    assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    try (OutputDirectory o = OutputDirectory.check(out, true)) {
      o.open();
      o.writeString("new.txt", "new");
      assertTrue(Files.exists(out.resolve("old.txt")), "the old output stays until the commit");
      o.commit();
    }
    assertFalse(Files.exists(out.resolve("old.txt")));
    assertEquals("new", Files.readString(out.resolve("new.txt")));
    try (var s = Files.list(tmp)) {
      assertEquals(1, s.count(), "no temporary or old sibling left");
    }
  }

  @Test
  void overwriteThatFailsKeepsTheOldOutput() throws IOException {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("old.txt"), "old");
    try (OutputDirectory o = OutputDirectory.check(out, true)) {
      o.open();
      o.writeString("new.txt", "new");
      // the run fails before commit
    }
    assertEquals("old", Files.readString(out.resolve("old.txt")));
    assertFalse(TestData.outputLeft(tmp.resolve("out2")));
    try (var s = Files.list(tmp)) {
      assertEquals(1, s.count());
    }
  }

  @Test
  void emptyExistingDirectoryIsUsed() throws IOException {
    Path out = tmp.resolve("empty");
    Files.createDirectories(out);
    try (OutputDirectory o = OutputDirectory.check(out, false)) {
      o.open();
      o.writeString("f", "x");
      o.commit();
    }
    assertEquals("x", Files.readString(out.resolve("f")));
  }

  @Test
  void refusesPathsOutsideTheDirectory() throws IOException {
    try (OutputDirectory o = OutputDirectory.check(tmp.resolve("o"), false)) {
      o.open();
      assertThrows(IllegalArgumentException.class, () -> o.writeString("../escape.txt", "x"));
    }
  }
}
