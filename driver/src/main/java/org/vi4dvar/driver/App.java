package org.vi4dvar.driver;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.vi4dvar.driver.cli.Commands;
import org.vi4dvar.driver.cli.CommandContext;
import org.vi4dvar.driver.cli.Version;
import org.vi4dvar.driver.spark.SparkProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vi4dvar}: full-posterior strong-constraint 4D-Var on Spark. Subcommands {@code run} and
 * {@code twin}; see {@code --help}.
 *
 * <p>Exit codes ({@link ExitCode}): 0 success; 2 bad input (command line, configuration, dataset, output
 * directory), with one line {@code vi4dvar: error: <what>} on stderr and nothing written; 1 a failed run; 130
 * interrupted. {@link #execute} runs the command in-process and returns the exit code (tests); {@link #main}
 * exits with it.
 */
@Command(name = "vi4dvar", mixinStandardHelpOptions = true, versionProvider = Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Full-posterior strong-constraint 4D-Var (MAP + Laplace, ABC, ensemble of 4D-Var, VI-4D-Var) "
        + "on Apache Spark.",
    commandListHeading = "%nCommands:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the run failed", "2:bad input (command line, configuration, data, --out)",
        "130:interrupted"})
public final class App implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command (expected one of "
        + String.join(", ", spec.subcommands().keySet()) + ")");
  }

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    int code = execute(args, System.out, System.err, SparkProvider.NEW_CONTEXT, true);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  /**
   * Runs the command line in this JVM.
   *
   * @param args the arguments
   * @param out where results and help go
   * @param err where progress lines and errors go
   * @param spark how commands get their Spark context
   * @return the exit code ({@link ExitCode})
   */
  public static int execute(String[] args, PrintStream out, PrintStream err, SparkProvider spark) {
    return execute(args, out, err, spark, false);
  }

  /**
   * As {@link #execute(String[], PrintStream, PrintStream, SparkProvider)}; {@code ownJvm} says whether the command
   * owns the JVM ({@code main}), and so may point JVM-wide settings ({@code java.io.tmpdir}) at its scratch
   * directory.
   */
  public static int execute(String[] args, PrintStream out, PrintStream err, SparkProvider spark, boolean ownJvm) {
    CommandContext ctx = new CommandContext(out, err, spark, ownJvm);
    CommandLine cl = new CommandLine(new App());
    for (Object sub : Commands.all(ctx)) {
      cl.addSubcommand(sub);
    }
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpWidth(100);
    cl.setParameterExceptionHandler(App::onParameterError);
    cl.setExecutionExceptionHandler((ex, line, parsed) -> onFailure(ex, line, err));
    return cl.execute(args);
  }

  private static int onParameterError(ParameterException ex, String[] args) {
    CommandLine line = ex.getCommandLine();
    String cmd = line.getCommandSpec().qualifiedName();
    String msg = ex.getMessage() == null ? "invalid arguments" : firstLine(ex.getMessage());
    if (!msg.isEmpty()) {
      msg = Character.toLowerCase(msg.charAt(0)) + msg.substring(1);
    }
    if (ex instanceof CommandLine.UnmatchedArgumentException && line.getCommandSpec().parent() == null) {
      List<String> unmatched = ((CommandLine.UnmatchedArgumentException) ex).getUnmatched();
      if (!unmatched.isEmpty() && !unmatched.get(0).startsWith("-")) {
        msg = "unknown command '" + oneLine(unmatched.get(0)) + "' (expected one of "
            + String.join(", ", line.getSubcommands().keySet()) + ")";
      }
    } else if (ex instanceof CommandLine.UnmatchedArgumentException) {
      List<String> suggestions = ((CommandLine.UnmatchedArgumentException) ex).getSuggestions();
      if (!suggestions.isEmpty()) {
        msg += " (did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size())))
            + "?)";
      }
    }
    PrintWriter w = line.getErr();
    w.println("vi4dvar: error: " + msg + "; see '" + cmd + " --help'");
    w.flush();
    return ExitCode.BAD_INPUT;
  }

  private static int onFailure(Exception ex, CommandLine line, PrintStream err) {
    if (ex instanceof BadInputException) {
      err.println("vi4dvar: error: " + oneLine(ex.getMessage()));
      err.flush();
      return ExitCode.BAD_INPUT;
    }
    if (org.vi4dvar.driver.cli.ShutdownGuard.signalled()) {
      // Ctrl-C or SIGTERM: the guard has reported it; the failure is only its consequence (Spark stopped)
      return ExitCode.INTERRUPTED;
    }
    if (ex instanceof org.vi4dvar.driver.run.RunFailure) {
      err.println("vi4dvar: error: " + oneLine(ex.getMessage()));
      err.flush();
      return ExitCode.FAILURE;
    }
    if (isInterrupt(ex)) {
      err.println("vi4dvar: interrupted");
      err.flush();
      return ExitCode.INTERRUPTED;
    }
    String what = line.getCommandSpec().name();
    err.println("vi4dvar: error: " + what + " failed: " + describe(ex)
        + (Commands.stacktrace(line) ? "" : " (--stacktrace shows where)"));
    if (Commands.stacktrace(line)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCode.FAILURE;
  }

  private static boolean isInterrupt(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof InterruptedException || c instanceof java.nio.channels.ClosedByInterruptException) {
        return true;
      }
    }
    return Thread.currentThread().isInterrupted();
  }

  /** {@code Class: message} of the exception and its innermost cause, on one line. */
  static String describe(Throwable ex) {
    Throwable root = ex;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String s = ex.getClass().getSimpleName() + ": " + firstLine(String.valueOf(ex.getMessage()));
    if (root != ex) {
      s += " (caused by " + root.getClass().getSimpleName() + ": " + firstLine(String.valueOf(root.getMessage()))
          + ")";
    }
    return s;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return oneLine(nl >= 0 ? s.substring(0, nl) : s);
  }

  private static String oneLine(String s) {
    return org.vi4dvar.driver.config.ConfigLoader.oneLine(s);
  }
}
