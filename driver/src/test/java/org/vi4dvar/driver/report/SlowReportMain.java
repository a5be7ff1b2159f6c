package org.vi4dvar.driver.report;

/**
 * {@code App.main} with the report held between drawing and the swap: prints a line, then waits a minute, so that
 * a test can send SIGTERM while the new figures are half written.
 */
public final class SlowReportMain {

  private SlowReportMain() {
  }

  public static void main(String[] args) throws Exception {
    Report.beforeCommit = () -> {
      System.err.println("vi4dvar-test: figures drawn, waiting");
      System.err.flush();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    org.vi4dvar.driver.App.main(args);
  }
}
