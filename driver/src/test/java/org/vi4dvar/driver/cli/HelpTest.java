package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vi4dvar.driver.App;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.testing.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class HelpTest {

  @Test
  void helpOfEveryCommandDocumentsEveryOption() {
    CommandLine cl = new CommandLine(new App());
    for (Object sub : Commands.all(new CommandContext(System.out, System.err, Cli.NO_SPARK))) {
      cl.addSubcommand(sub);
    }
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      // picocli's own warnings (a description it cannot format: a bare '%') go to System.err, not to the
      // command's streams
      java.io.ByteArrayOutputStream tracer = new java.io.ByteArrayOutputStream();
      java.io.PrintStream systemErr = System.err;
      Cli r;
      System.setErr(new java.io.PrintStream(tracer, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        r = Cli.run(e.getKey(), "--help");
      } finally {
        System.setErr(systemErr);
      }
      assertEquals(ExitCode.OK, r.code());
      assertTrue(r.err().isEmpty(), r.err());
      assertEquals("", tracer.toString(java.nio.charset.StandardCharsets.UTF_8), e.getKey() + " --help: no picocli "
          + "warning");
      for (OptionSpec o : e.getValue().getCommandSpec().options()) {
        assertTrue(r.out().contains(o.longestName()), e.getKey() + " --help must list " + o.longestName());
        assertTrue(o.description().length > 0 && !o.description()[0].isBlank(),
            e.getKey() + " " + o.longestName() + " needs a description");
      }
      assertTrue(r.out().contains("Exit codes"), r.out());
      assertTrue(r.out().contains("143"), e.getKey() + " --help lists SIGTERM's exit code: " + r.out());
      assertTrue(r.out().contains("130"), e.getKey() + " --help lists Ctrl-C's exit code: " + r.out());
    }
    Cli top = Cli.run("--help");
    assertEquals(ExitCode.OK, top.code());
    assertTrue(top.out().contains("run") && top.out().contains("twin"), top.out());
  }

  @Test
  void versionNamesSpark() {
    Cli r = Cli.run("--version");
    assertEquals(ExitCode.OK, r.code());
    assertTrue(r.out().startsWith("vi4dvar ") && r.out().contains("Spark 4.2.0"), r.out());
    assertFalse(r.out().contains("unknown"), r.out());
  }

  /** Issue 10 item 21: messages and help name the command as the user types it (submit/local.sh sets it). */
  @Test
  void messagesAndHelpNameTheCommandAsTyped() {
    System.setProperty(App.PROGRAM_PROPERTY, "submit/local.sh");
    try {
      Cli bad = Cli.run("run", "--out", "/tmp/x", "--bogus");
      assertEquals(ExitCode.BAD_INPUT, bad.code());
      assertTrue(bad.err().contains("see 'submit/local.sh run --help'"), bad.err());
      Cli help = Cli.run("twin", "--help");
      assertTrue(help.out().startsWith("Usage: submit/local.sh twin"), help.out());
      assertTrue(Cli.run("--help").out().startsWith("Usage: submit/local.sh "), "top-level usage");
    } finally {
      System.clearProperty(App.PROGRAM_PROPERTY);
    }
    assertTrue(Cli.run("run", "--bogus").err().contains("see 'vi4dvar run --help'"), "default name");
  }
}
