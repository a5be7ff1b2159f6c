package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.vi4dvar.driver.testing.SharedSpark;

class ProvenanceTest extends SharedSpark {

  @Test
  void theBuildCapturedTheSourceCommit() throws Exception {
    Provenance p = Provenance.start("run", "--out", "x");
    assertTrue(p.version().matches("\\d+\\.\\d+\\.\\d+.*"), p.version());
    String head = gitHead();
    if (head == null) {
      System.err.println("ProvenanceTest: no git here; commit is " + p.commit());
      assertTrue(p.commit().equals(Provenance.UNKNOWN) || p.commit().matches("[0-9a-f]{40}"), p.commit());
    } else {
      assertEquals(head, p.commit(), "the commit captured at build time is the checkout's HEAD");
      assertTrue(p.dirty().equals("true") || p.dirty().equals("false"), p.dirty());
    }
  }

  @Test
  void unfilledPlaceholdersReadAsUnknown() {
    Properties props = new Properties();
    props.setProperty("commit", "${git.commit.id}");
    props.setProperty("blank", " ");
    props.setProperty("ok", "abc ");
    assertEquals(Provenance.UNKNOWN, Provenance.value(props, "commit"));
    assertEquals(Provenance.UNKNOWN, Provenance.value(props, "blank"));
    assertEquals(Provenance.UNKNOWN, Provenance.value(props, "missing"));
    assertEquals("abc", Provenance.value(props, "ok"));
  }

  @Test
  void commandLineStartTimeAndApplicationId() {
    Instant before = Instant.now().minusMillis(1);
    Provenance p = Provenance.start("run", "--out", "out dir", "--set", "obs.noise=[0.05,0.1]", "--set",
        "a='b'");
    assertEquals("vi4dvar run --out 'out dir' --set 'obs.noise=[0.05,0.1]' --set 'a='\\''b'\\'''",
        p.commandLine());
    assertTrue(p.startTime().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z"), p.startTime());
    assertTrue(!p.startInstant().isBefore(before.minusSeconds(1)) && !p.startInstant().isAfter(Instant.now()));
    Map<String, Object> t = p.toTree(sc());
    assertEquals(sc().sc().applicationId(), t.get("spark_application_id"));
    assertTrue(((String) t.get("spark_application_id")).startsWith("local-"), t.toString());
    assertEquals(p.commandLine(), t.get("command_line"));
    Map<String, String> a = p.attributes(sc());
    assertEquals(p.commit(), a.get("vi4dvar_commit"));
    assertEquals(p.startTime(), a.get("vi4dvar_start_time"));
    assertTrue(!p.toTree(null).containsKey("spark_application_id"));
  }

  /** {@code git rev-parse HEAD} of the checkout the tests run in, or null without git. */
  static String gitHead() {
    try {
      Process g = new ProcessBuilder("git", "rev-parse", "HEAD").directory(Path.of("..").toFile())
          .redirectErrorStream(true).start();
      String out = new String(g.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return g.waitFor(30, TimeUnit.SECONDS) && g.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
    } catch (Exception e) {
      return null;
    }
  }
}
