package org.vi4dvar.driver.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.ExitCode;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.io.Dataset;
import org.vi4dvar.driver.io.Abortable;
import org.vi4dvar.driver.io.DatasetReader;
import org.vi4dvar.driver.io.OutputDirectory;
import org.vi4dvar.driver.io.Owner;
import org.vi4dvar.driver.output.OutputLayout;
import org.vi4dvar.kernels.posterior.Posterior;
import org.vi4dvar.kernels.var.ControlPropagator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vi4dvar sample DIR --method NAME --n N --out FILE}: draws from a fitted posterior of an earlier run
 * without rerunning it — draw i is a pure function of the posterior and i, so draws 0 … N−1 (or from
 * {@code --first}) are the run's own, bit for bit — and writes their trajectories through the whole window as
 * CSV ({@code sample,t,x_0,…}; {@code sample,weight,t,…} for a weighted posterior). No Spark: the draws stream to
 * the file, so memory does not grow with N.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.class,
    description = {"Draw trajectories (the whole window, assimilated and forecast states) from the posterior a "
        + "method fitted in an earlier run, without rerunning it. The same indices give the run's own draws, bit "
        + "for bit (its <method>/samples.csv)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the sampling failed", "2:bad input (DIR not a run, method not in it, --n, "
        + "--out)", "130:interrupted (Ctrl-C)", "143:terminated (SIGTERM)"})
public final class SampleCommand implements Callable<Integer> {

  /** Largest N: 10^9 draws (streamed; the limit is the disk, checked before starting). */
  static final long MAX_N = 1_000_000_000L;

  private final CommandContext ctx;

  @Parameters(index = "0", paramLabel = "DIR", description = "The output directory of a run.")
  Path dir;

  @Option(names = "--method", required = true, paramLabel = "NAME",
      description = "The method whose posterior to draw from (a folder of DIR with posterior.bin: prior, abc, map, "
          + "ensemble, vi, ...).")
  String method;

  @Option(names = "--n", required = true, paramLabel = "N",
      description = "Number of draws (1 .. 10^9; an empirical posterior has as many as it holds).")
  long n;

  @Option(names = "--first", paramLabel = "I", defaultValue = "0",
      description = "Index of the first draw (default 0: the run's own draws start there).")
  long first;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "The CSV file to write (written aside and renamed into place when complete).")
  Path out;

  @Option(names = "--overwrite", description = "Replace an existing FILE (only once the new one is complete).")
  boolean overwrite;

  SampleCommand(CommandContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(dir) || !Files.exists(dir.resolve(OutputLayout.SUMMARY), LinkOption.NOFOLLOW_LINKS)) {
      throw new BadInputException("sample: '" + dir + "' is not the output directory of a run (no "
          + OutputLayout.SUMMARY + ")");
    }
    notRegular(dir.resolve(OutputLayout.SUMMARY));
    Path bin = dir.resolve(method).resolve(OutputLayout.POSTERIOR_BIN);
    if (!method.contains("/") && !method.contains("\\")) {
      notRegular(bin);
    }
    if (method.contains("/") || method.contains("\\") || !Files.isRegularFile(bin)) {
      throw new BadInputException("sample: --method '" + ConfigLoader.oneLine(method) + "': " + dir
          + " has no fitted posterior of that name (no " + method + "/" + OutputLayout.POSTERIOR_BIN
          + "; see summary.json for the methods that ran)");
    }
    if (n < 1 || n > MAX_N) {
      throw new BadInputException("sample: --n must be in [1, " + MAX_N + "], got " + n);
    }
    if (first < 0) {
      throw new BadInputException("sample: --first must be >= 0, got " + first);
    }
    if (Files.isDirectory(out)) {
      throw new BadInputException("sample: --out '" + out + "' is a directory; give a file name");
    }
    if (Files.exists(out) && !overwrite) {
      throw new BadInputException("sample: --out '" + out + "' exists; add --overwrite to replace it");
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new BadInputException("sample: the directory of --out '" + out + "' does not exist");
    }
    checkNotAnInput(bin);
    Vi4dvarSettings s = ConfigLoader.load(dir.resolve(OutputLayout.CONFIG), java.util.List.of());
    Dataset d = DatasetReader.read(dir.resolve(OutputLayout.DATA), s.experiment());
    Posterior p = read(bin);
    if (p.dimension() != d.problem().controlDimension()) {
      throw new BadInputException("sample: " + bin + " has dimension " + p.dimension() + ", but the run's problem "
          + "has a control of " + d.problem().controlDimension());
    }
    long available = p.draws(Long.MAX_VALUE);
    if (first + n > available) {
      throw new BadInputException("sample: " + method + " holds " + available + " draws (an empirical posterior), "
          + "so --first + --n must be at most " + available + ", got " + (first + n));
    }
    ControlPropagator prop = d.problem().newPropagator();
    final int nx = prop.nx();
    final int nStates = prop.nStates();
    long bytes = n * nStates * (nx * 22L + 24);
    long free = OutputDirectory.writableSpace(parent);
    if (bytes > free) {
      throw new BadInputException(String.format(Locale.ROOT, "sample: %d draws would write about %.3g GB to '%s', "
          + "which has %.3g GB free; lower --n", n, bytes / 1e9, parent, free / 1e9));
    }
    long t0 = System.nanoTime();
    String name = out.getFileName().toString();
    String prefix = "." + name + ".tmp-";
    Path parentReal = parent.toRealPath();
    for (Path stale : Owner.staleDirectories(parentReal, prefix, ctx::progress)) {
      String owner = Owner.of(stale).map(Owner::describe).orElse("");
      OutputDirectory.deleteLocalTree(stale);
      ctx.progress("removed " + stale + ", left by an earlier sample that did not finish (" + owner + ")");
    }
    boolean weighted = p.weighted();
    Posterior.Sampler sm = p.sampler();
    double[] c = new double[p.dimension()];
    double[] traj = new double[prop.trajectorySize()];
    long nonFinite = 0;
    try (ShutdownGuard guard = ShutdownGuard.install(ctx.err()); Partial part = Partial.create(parentReal, prefix,
        out)) {
      guard.protect(part);
      try (BufferedWriter w = Files.newBufferedWriter(part.file(name), StandardCharsets.UTF_8)) {
        w.write(OutputLayout.header(OutputLayout.SAMPLE + (weighted ? ",weight" : "") + "," + OutputLayout.T,
            OutputLayout.X, nx));
        w.write('\n');
        StringBuilder b = new StringBuilder();
        for (long i = first; i < first + n; i++) {
          double wt = sm.draw(i, c);
          if (!prop.trajectory(c, traj)) {
            nonFinite++;
          }
          for (int t = 0; t < nStates; t++) {
            b.setLength(0);
            b.append(i);
            if (weighted) {
              b.append(',').append(wt);
            }
            b.append(',').append(t);
            for (int k = 0; k < nx; k++) {
              double v = traj[t * nx + k];
              b.append(',');
              if (Double.isFinite(v)) {
                b.append(v);
              }
            }
            b.append('\n');
            w.write(b.toString());
          }
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
          }
        }
      }
      part.commit(name, out);
    }
    ctx.progress(String.format(Locale.ROOT, "wrote %d draws of %s (%d to %d) to %s in %.2f s%s", n, method, first,
        first + n - 1, out, (System.nanoTime() - t0) * 1e-9, nonFinite > 0 ? "; " + nonFinite
        + " trajectories overflowed (written as empty fields; the run's statistics exclude them)" : ""));
    return ExitCode.OK;
  }

  /** Refuses an input that is there but is not a regular file (a named pipe would block the read). */
  private static void notRegular(Path f) {
    if (Files.exists(f, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(f)) {
      throw new BadInputException("sample: " + f + " is not a regular file (a directory, named pipe, device, "
          + "socket or broken symbolic link)");
    }
  }

  /**
   * Refuses an {@code --out} that is one of the files this command reads (compared by real path): the run's
   * summary, configuration, dataset or the posterior itself, which {@code --overwrite} would replace.
   */
  private void checkNotAnInput(Path bin) throws IOException {
    Path target = Files.exists(out) ? out.toRealPath()
        : out.toAbsolutePath().getParent().toRealPath().resolve(out.getFileName());
    Path run = dir.toRealPath();
    for (Path in : new Path[] {run.resolve(OutputLayout.SUMMARY), run.resolve(OutputLayout.CONFIG),
        bin.toRealPath(), run.resolve(OutputLayout.DATA)}) {
      if (target.startsWith(in)) {
        throw new BadInputException("sample: --out '" + out + "' is " + in + ", which this command reads; write "
            + "the draws elsewhere");
      }
    }
  }

  /**
   * The CSV being written, in a hidden sibling directory of {@code --out} ({@code .NAME.tmp-<random>/}, with an
   * {@link Owner} marker), moved into place at the end: a failure or a signal ({@link #abortOnSignal}) removes it,
   * and after a SIGKILL the next {@code sample} to the same {@code --out} does.
   */
  static final class Partial implements Abortable, AutoCloseable {
    private final Path dir;
    private final Path out;
    private final Object lock = new Object();
    private boolean done;

    private Partial(Path dir, Path out) {
      this.dir = dir;
      this.out = out;
    }

    /** Creates the hidden directory in {@code parent}; one line and exit 2 if it cannot be. */
    static Partial create(Path parent, String prefix, Path out) {
      try {
        return new Partial(Owner.createMarkedDirectory(parent, prefix), out);
      } catch (IOException e) {
        throw new BadInputException("sample: --out '" + out + "': cannot create a file in '" + parent + "' ("
            + OutputDirectory.reason(e) + ")", e);
      }
    }

    /** Where the file {@code name} is written. */
    Path file(String name) {
      return dir.resolve(name);
    }

    /** Moves the written file into place (replacing {@code target}) and removes the hidden directory. */
    void commit(String name, Path target) throws IOException {
      synchronized (lock) {
        if (done) {
          throw new IOException("the draws for " + out + " were removed (interrupted?)");
        }
        Files.move(dir.resolve(name), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        done = true;
        delete();
      }
    }

    @Override
    public String abortOnSignal() {
      synchronized (lock) {
        if (done) {
          return null;
        }
        done = true;
        delete();
        return "removed the partial draws (" + out + " was not written)";
      }
    }

    @Override
    public void close() {
      synchronized (lock) {
        if (!done) {
          done = true;
          delete();
        }
      }
    }

    private void delete() {
      try {
        OutputDirectory.deleteLocalTree(dir);
      } catch (IOException e) {
        // a hidden directory with a marker: the next sample to this --out removes it
      }
    }
  }

  /** The posterior object, deserialised with a filter that admits only vi4dvar's kernel classes and arrays. */
  static Posterior read(Path bin) throws IOException {
    ObjectInputFilter filter = info -> {
      Class<?> c = info.serialClass();
      if (c == null) {
        return ObjectInputFilter.Status.UNDECIDED;
      }
      while (c.isArray()) {
        c = c.getComponentType();
      }
      String name = c.getName();
      return c.isPrimitive() || name.startsWith("org.vi4dvar.kernels.") || name.startsWith("java.lang.")
          || name.equals("java.util.ImmutableCollections$ListN") || name.equals("java.util.ImmutableCollections$List12")
          ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
    };
    try (InputStream in = Files.newInputStream(bin); ObjectInputStream o = new ObjectInputStream(in)) {
      o.setObjectInputFilter(filter);
      Object v = o.readObject();
      if (!(v instanceof Posterior)) {
        throw new BadInputException("sample: " + bin + " does not hold a posterior");
      }
      return (Posterior) v;
    } catch (ClassNotFoundException | java.io.InvalidClassException | java.io.StreamCorruptedException e) {
      throw new BadInputException("sample: " + bin + " cannot be read by this version of vi4dvar ("
          + e.getClass().getSimpleName() + ": " + ConfigLoader.oneLine(e.getMessage()) + ")");
    }
  }
}
