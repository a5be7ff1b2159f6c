package org.vi4dvar.driver.cli;

import java.util.List;
import picocli.CommandLine;

/** The subcommands of {@code vi4dvar}, in help order. */
public final class Commands {

  private Commands() {
  }

  /** New instances of every subcommand. */
  public static List<Object> all(CommandContext ctx) {
    return List.of(new RunCommand(ctx), new TwinCommand(ctx), new ReportCommand(ctx), new SampleCommand(ctx),
        new CalibrateCommand(ctx));
  }

  /** Whether the parsed command asked for stack traces. */
  public static boolean stacktrace(CommandLine line) {
    Object c = line.getCommand();
    return c instanceof ExperimentCommand && ((ExperimentCommand) c).stacktrace();
  }
}
