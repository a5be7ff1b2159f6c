package org.vi4dvar.driver.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vi4dvar.driver.output.RunSummary;
import org.vi4dvar.kernels.diagnostics.Convergence;
import org.vi4dvar.kernels.importance.Reliability;
import org.vi4dvar.kernels.mcmc.McmcMethod;

/**
 * Writes report.html: one self-contained page (inline CSS, images as {@code data:} URIs, no script, no external
 * resource) with the run, the warnings the run raised, the settings, the score table (methods side by side, the
 * best value of each row marked), the distances to the reference posterior when the run has one, the per-method
 * counts and diagnostics and every figure with its caption. Every text taken from the directory is escaped.
 */
final class HtmlReport {

  /** How "best" is judged for a score row. */
  enum Sense {
    /** Smallest is best (RMSE, CRPS). */
    LOWEST,
    /** Closest to the target is best (spread/skill → 1, coverage → nominal). */
    TARGET,
    /** Not ranked (spread alone says nothing about quality). */
    NONE
  }

  /**
   * One row of the score table.
   *
   * @param label row label
   * @param key summary.json key before {@code _assim}/{@code _forecast}
   * @param sense how the best value is chosen
   * @param target the ideal value for {@link Sense#TARGET}
   * @param ideal the "ideal" column text
   * @param percent show as a percentage
   */
  record ScoreRow(String label, String key, Sense sense, double target, String ideal, boolean percent) {
  }

  static final List<ScoreRow> SCORES = List.of(
      new ScoreRow("RMSE of the mean", "rmse", Sense.LOWEST, 0, "lowest", false),
      new ScoreRow("Spread (mean std)", "spread", Sense.NONE, 0, "", false),
      new ScoreRow("Spread / skill", "spread_skill", Sense.TARGET, 1, "1", false),
      new ScoreRow("CRPS", "crps", Sense.LOWEST, 0, "lowest", false),
      new ScoreRow("Coverage of the 50 % interval", "coverage50", Sense.TARGET, 0.5, "50 %", true),
      new ScoreRow("Coverage of the 90 % interval", "coverage90", Sense.TARGET, 0.9, "90 %", true));

  /**
   * The columns of the table of distances to the reference posterior ({@code methods.<m>.reference.<part>} of
   * summary.json): the mean error and the std ratio ranked, the energy distance not (with the few trajectories a
   * run samples its noise is as large as the differences between close methods).
   */
  static final List<ScoreRow> REFERENCE_SCORES = List.of(
      new ScoreRow("mean error", "mean_error", Sense.LOWEST, 0, "0", false),
      new ScoreRow("std ratio", "std_ratio", Sense.TARGET, 1, "1", false),
      new ScoreRow("energy distance", "energy_distance", Sense.NONE, 0, "0", false));

  /** Configuration keys shown in the settings, when present. */
  private static final String[][] KEY_SETTINGS = {
      {"seed", "seed"}, {"model.nx", "state size nx"}, {"model.forcing", "Lorenz96 forcing F"},
      {"model.dt", "RK4 step dt"}, {"window.states", "window states"}, {"window.assimilated", "assimilated"},
      {"obs.nonlinearity", "observation h"}, {"obs.pooling", "observation pooling"}, {"obs.drop", "drop rate"},
      {"methods", "methods"}, {"posterior.samples", "posterior samples"}, {"map.starts", "MAP starts"},
      {"abc.trials", "ABC trials"}, {"abc.keep", "ABC keep fraction"}, {"abc.distance", "ABC distance"},
      {"abc.threshold", "ABC threshold"}, {"ensemble.members", "ensemble members"},
      {"ensemble.start", "ensemble start"}, {"vi.family", "VI family"}, {"vi.restarts", "VI restarts"},
      {"vi.iterations", "VI iterations"}, {"vi.lr", "VI learning rate"}, {"vi.start", "VI start"},
      {"output.cov-times", "covariance states"}};

  private final RunOutput run;
  private final StringBuilder b = new StringBuilder(1 << 20);

  private HtmlReport(RunOutput run) {
    this.run = run;
  }

  /** The page for {@code run} with {@code figures} (file name to PNG bytes via {@code png}). */
  static String page(RunOutput run, List<Figure> figures, Map<String, byte[]> png) {
    HtmlReport h = new HtmlReport(run);
    h.write(figures, png);
    return h.b.toString();
  }

  private void write(List<Figure> figures, Map<String, byte[]> png) {
    Path shown = run.shownAs.toAbsolutePath().normalize();
    String dirName = shown.getFileName() == null ? shown.toString() : shown.getFileName().toString();
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>vi4dvar report: ").append(esc(dirName)).append("</title>\n<style>\n").append(CSS)
        .append("</style>\n</head>\n<body>\n<main>\n");
    b.append("<header><h1>vi4dvar report</h1><p class=\"sub\">").append(esc(shown.toString())).append("</p>");
    runLine();
    b.append("</header>\n");
    nav(figures);
    warnings();
    notes();
    settings();
    scores();
    reference();
    parameters();
    methodTable();
    for (Figure.Section s : Figure.Section.values()) {
      List<Figure> in = new ArrayList<>();
      for (Figure f : figures) {
        if (f.section() == s) {
          in.add(f);
        }
      }
      if (in.isEmpty()) {
        continue;
      }
      b.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(esc(s.heading)).append("</h2>\n");
      for (Figure f : in) {
        b.append("<figure id=\"fig-").append(esc(f.file().replace(".png", "")))
            .append("\">\n<img src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(png.get(f.file()))).append("\" width=\"")
            .append(f.image().getWidth()).append("\" height=\"").append(f.image().getHeight())
            .append("\" alt=\"").append(esc(f.title())).append("\">\n<figcaption><b>").append(esc(f.title()))
            .append(".</b> ").append(esc(f.caption())).append(" <span class=\"file\">figures/")
            .append(esc(f.file())).append("</span></figcaption>\n</figure>\n");
      }
      b.append("</section>\n");
    }
    b.append("<footer>Written by vi4dvar's report step from the files of this directory; scores are "
        + "computed by the run, not by the report.</footer>\n</main>\n</body>\n</html>\n");
  }

  private void runLine() {
    Map<String, Object> v = JsonReader.object(run.summary, "vi4dvar");
    if (v.isEmpty()) {
      return;
    }
    b.append("<p class=\"run\">");
    List<String> parts = new ArrayList<>();
    if (v.get("version") != null) {
      parts.add("vi4dvar " + esc(text(v.get("version"))));
    }
    if (v.get("command") != null) {
      parts.add("<code>" + esc(text(v.get("command"))) + "</code>");
    }
    if (v.get("master") != null) {
      parts.add("master " + esc(text(v.get("master"))));
    }
    if (v.get("started") != null) {
      parts.add("started " + esc(text(v.get("started"))));
    }
    if (v.get("seconds") instanceof Double) {
      parts.add(esc(fmt((Double) v.get("seconds"))) + " s");
    }
    b.append(String.join(" · ", parts)).append("</p>");
  }

  private void nav(List<Figure> figures) {
    b.append("<nav><a href=\"#settings\">Settings</a> <a href=\"#scores\">Scores</a> ");
    if (referenceName() != null) {
      b.append("<a href=\"#reference\">Reference</a> ");
    }
    b.append("<a href=\"#methods\">Methods</a>");
    Set<Figure.Section> present = new LinkedHashSet<>();
    for (Figure f : figures) {
      present.add(f.section());
    }
    for (Figure.Section s : Figure.Section.values()) {
      if (present.contains(s)) {
        b.append(" <a href=\"#").append(s.id()).append("\">").append(esc(s.heading)).append("</a>");
      }
    }
    b.append("</nav>\n");
  }

  /**
   * The warnings the run raised ({@code methods.<m>.warnings} of summary.json, also printed on stderr: mcmc's
   * R̂ and ESS, the importance corrections' k̂), one sentence each, named by method; nothing when there are none.
   */
  private void warnings() {
    List<String> items = new ArrayList<>();
    for (MethodOutput m : run.withPrior()) {
      for (String w : warnings(m)) {
        String t = w.strip();
        items.add("<li><b>" + esc(m.label()) + "</b>: " + esc(t.endsWith(".") ? t : t + ".") + "</li>\n");
      }
    }
    if (items.isEmpty()) {
      return;
    }
    b.append("<section id=\"warnings\" class=\"warnings\"><h2>Warnings</h2><ul>\n");
    items.forEach(b::append);
    b.append("</ul><p class=\"hint\">Raised by the run's own diagnostics (summary.json methods.&lt;method&gt;"
        + ".warnings, also printed on stderr): a method named here has a posterior that should not be trusted as "
        + "it is. The figures behind them (R̂, ESS, Pareto k̂) are in the <a href=\"#methods\">Methods</a> "
        + "table.</p></section>\n");
  }

  /** {@code methods.<m>.warnings} of summary.json (empty when absent). */
  private static List<String> warnings(MethodOutput m) {
    List<String> out = new ArrayList<>();
    if (m.summary.get("warnings") instanceof List) {
      for (Object o : (List<?>) m.summary.get("warnings")) {
        if (o != null && !String.valueOf(o).isBlank()) {
          out.add(String.valueOf(o));
        }
      }
    }
    return out;
  }

  private void notes() {
    Set<String> unique = new LinkedHashSet<>(run.notes);
    if (unique.isEmpty()) {
      return;
    }
    b.append("<section class=\"notes\"><h2>Left out</h2><ul>\n");
    for (String n : unique) {
      b.append("<li>").append(esc(n)).append("</li>\n");
    }
    b.append("</ul></section>\n");
  }

  private void settings() {
    b.append("<section id=\"settings\"><h2>Settings</h2>\n<div class=\"cards\">\n");
    Map<String, Object> data = JsonReader.object(run.summary, "data");
    b.append("<div class=\"card\"><h3>Data</h3><dl>");
    if (data.isEmpty()) {
      dl("state size nx", Integer.toString(run.nx));
      dl("observed points ny", Integer.toString(run.ny));
      dl("window states", Integer.toString(run.nStates));
      dl("assimilated", Integer.toString(run.nAssim));
    }
    for (Map.Entry<String, Object> e : data.entrySet()) {
      if (!(e.getValue() instanceof Map) && !(e.getValue() instanceof List)) {
        dl(e.getKey().replace('_', ' '), text(e.getValue()));
      }
    }
    b.append("</dl></div>\n");
    Map<String, String> flat = new LinkedHashMap<>();
    flatten("", run.config, flat);
    b.append("<div class=\"card wide\"><h3>Configuration</h3>");
    if (flat.isEmpty()) {
      b.append("<p>Not recorded (no config in summary.json).</p>");
    } else {
      b.append("<dl>");
      for (String[] k : KEY_SETTINGS) {
        if (flat.containsKey(k[0])) {
          dl(k[1], flat.get(k[0]));
        }
      }
      b.append("</dl>");
    }
    b.append("</div>\n</div>\n");
    if (!flat.isEmpty()) {
      b.append("<details><summary>Full configuration (").append(flat.size()).append(" keys)</summary>"
          + "<table class=\"config\"><tbody>\n");
      for (Map.Entry<String, String> e : flat.entrySet()) {
        b.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue()))
            .append("</td></tr>\n");
      }
      b.append("</tbody></table></details>\n");
    }
    b.append("</section>\n");
  }

  private void dl(String k, String v) {
    b.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>");
  }

  /**
   * Issue 15: the posterior of the estimated model parameters ({@code methods.<m>.parameters.<name>} of
   * summary.json: mean, std, 5/50/95 % quantiles, against the prior) and where the model errors are; nothing
   * for a strong-constraint run without parameters.
   */
  private void parameters() {
    List<MethodOutput> all = new ArrayList<>();
    if (run.prior != null) {
      all.add(run.prior);
    }
    all.addAll(run.methods);
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (MethodOutput m : all) {
      names.addAll(JsonReader.object(m.summary, "parameters").keySet());
    }
    List<String> weak = new ArrayList<>();
    for (MethodOutput m : all) {
      if (java.nio.file.Files.exists(run.dir.resolve(m.name).resolve("model_error_mean.csv"))) {
        weak.add(m.name);
      }
    }
    if (names.isEmpty() && weak.isEmpty()) {
      return;
    }
    b.append("<section id=\"parameters\"><h2>Model parameters and model errors</h2>\n");
    for (String name : names) {
      Double truth = null;
      for (MethodOutput m : all) {
        truth = truth != null ? truth : JsonReader.number(JsonReader.object(m.summary, "parameters", name), "truth");
      }
      b.append("<div class=\"scroll\"><table class=\"scores\"><thead><tr><th>").append(esc(name))
          .append("</th><th>mean</th><th>std</th><th>q05</th><th>q50</th><th>q95</th><th>90 % width</th>")
          .append(truth == null ? "" : "<th>truth in 90 %</th>").append("</tr></thead>\n<tbody>\n");
      for (MethodOutput m : all) {
        Map<String, Object> e = JsonReader.object(m.summary, "parameters", name);
        if (e.isEmpty()) {
          continue;
        }
        Double lo = JsonReader.number(e, "q05");
        Double hi = JsonReader.number(e, "q95");
        b.append("<tr><th>").append(esc(m.label())).append("</th>");
        for (String k : new String[] {"mean", "std", "q05", "q50", "q95"}) {
          Double v = JsonReader.number(e, k);
          b.append("<td>").append(v == null ? "–" : esc(fmt(v))).append("</td>");
        }
        b.append("<td>").append(lo == null || hi == null ? "–" : esc(fmt(hi - lo))).append("</td>");
        if (truth != null) {
          Object in = e.get("truth_in_90");
          b.append("<td>").append(in instanceof Boolean ? ((Boolean) in ? "yes" : "<b>no</b>") : "–").append("</td>");
        }
        b.append("</tr>\n");
      }
      b.append("</tbody></table></div>\n<p>The posterior of ").append(esc(name)).append(" estimated with the "
          + "state (model.estimate; prior model.forcing-prior, the first row). A posterior narrower than the "
          + "prior is what the observations taught; ").append(truth == null ? "a twin's true value is twin.forcing"
          : "the true value is " + esc(fmt(truth)) + " (the twin's, data/parameters_truth.csv)").append(".</p>\n");
    }
    List<MethodOutput> scored = new ArrayList<>();
    for (MethodOutput m : all) {
      if (!JsonReader.object(m.summary, "model_error").isEmpty()) {
        scored.add(m);
      }
    }
    if (!scored.isEmpty()) {
      b.append("<div class=\"scroll\"><table class=\"scores\"><thead><tr><th>model errors η</th><th>rmse</th>"
          + "<th>spread</th><th>spread/skill</th><th>points</th></tr></thead>\n<tbody>\n");
      for (MethodOutput m : scored) {
        Map<String, Object> e = JsonReader.object(m.summary, "model_error");
        b.append("<tr><th>").append(esc(m.label())).append("</th>");
        for (String k : new String[] {"rmse", "spread", "spread_skill", "points"}) {
          b.append("<td>").append(esc(fmt(JsonReader.number(e, k)))).append("</td>");
        }
        b.append("</tr>\n");
      }
      b.append("</tbody></table></div>\n<p>The posterior mean of the model errors η_t against the ones the twin "
          + "drew (data/model_error_truth.csv), over the components with model error: rmse of the mean, spread "
          + "the mean posterior std (spread/skill ≈ 1 when calibrated); the prior's row is the scale of Q.</p>\n");
    }
    if (!weak.isEmpty()) {
      b.append("<p>Weak constraint (model.error-std or the dataset's model_error_std.csv): the posterior mean "
          + "and std of every model error η_t, t &lt; assimilated − 1, are in &lt;method&gt;/model_error_mean.csv "
          + "and model_error_std.csv (").append(esc(String.join(", ", weak))).append(").</p>\n");
    }
    b.append("</section>\n");
  }

  private void scores() {
    b.append("<section id=\"scores\"><h2>Scores against the truth</h2>\n");
    List<MethodOutput> ms = new ArrayList<>();
    for (MethodOutput m : run.methods) {
      if (!JsonReader.object(m.summary, "scores").isEmpty() || !JsonReader.object(m.summary, "spread").isEmpty()) {
        ms.add(m);
      }
    }
    if (ms.isEmpty()) {
      b.append("<p>No scores in summary.json (the truth is unknown, or the run wrote none).</p></section>\n");
      return;
    }
    Double bgA = JsonReader.number(run.summary, "data", "background_rmse_assim");
    Double bgF = JsonReader.number(run.summary, "data", "background_rmse_forecast");
    boolean bg = bgA != null || bgF != null;
    MethodOutput prior = run.prior != null && !JsonReader.object(run.prior.summary, "scores").isEmpty() ? run.prior
        : null;
    b.append("<div class=\"scroll\"><table class=\"scores\"><thead><tr><th>score</th><th class=\"ideal\">ideal</th>");
    if (bg) {
      b.append("<th class=\"ref\">background</th>");
    }
    if (prior != null) {
      b.append("<th class=\"ref\">").append(esc(prior.label())).append("</th>");
    }
    for (MethodOutput m : ms) {
      b.append("<th>").append(esc(m.label())).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    String[] parts = {"assim", "forecast"};
    for (String part : parts) {
      boolean assim = part.equals("assim");
      int from = assim ? 0 : run.nAssim;
      int to = assim ? run.nAssim - 1 : run.nStates - 1;
      if (!assim && run.nAssim >= run.nStates && run.nStates > 0) {
        continue;
      }
      String span = run.nStates > 0 ? " (t = " + from + "…" + to + ")" : "";
      b.append("<tr class=\"group\"><th colspan=\"").append(ms.size() + 2 + (bg ? 1 : 0) + (prior != null ? 1 : 0))
          .append("\">")
          .append(assim ? "Assimilated states" : "Forecast states").append(esc(span)).append("</th></tr>\n");
      for (ScoreRow row : SCORES) {
        Double[] v = new Double[ms.size()];
        for (int k = 0; k < v.length; k++) {
          v[k] = score(ms.get(k), row.key + "_" + part);
        }
        boolean[] best = best(v, row);
        b.append("<tr><th>").append(esc(row.label)).append("</th><td class=\"ideal\">").append(esc(row.ideal))
            .append("</td>");
        if (bg) {
          Double ref = row.key.equals("rmse") ? (assim ? bgA : bgF) : null;
          b.append("<td class=\"ref\">").append(ref == null ? "" : esc(fmt(ref))).append("</td>");
        }
        if (prior != null) {
          Double pv = score(prior, row.key + "_" + part);
          b.append("<td class=\"ref\">").append(pv == null ? "—" : esc(row.percent ? pct(pv) : fmt(pv)))
              .append("</td>");
        }
        for (int k = 0; k < v.length; k++) {
          String s = v[k] == null ? "—" : row.percent ? pct(v[k]) : fmt(v[k]);
          if (best[k]) {
            b.append("<td class=\"best\" title=\"best in this row\">").append(esc(s)).append(" ★</td>");
          } else {
            b.append("<td>").append(esc(s)).append("</td>");
          }
        }
        b.append("</tr>\n");
      }
    }
    b.append("</tbody></table></div>\n<p class=\"hint\">★ best in its row: lowest RMSE and CRPS, spread/skill "
        + "closest to 1, coverage closest to its nominal level. Spread alone is not ranked. The background "
        + "column is the error of the background trajectory and the prior column the prior N(x_b, B) propagated "
        + "through the window, both for reference and not ranked. Every score is pooled over all grid points of the "
        + "states named (RMSE: the root of the mean squared error of the posterior mean; spread: the mean posterior "
        + "std; CRPS: the mean over points).</p>\n</section>\n");
  }

  /** The name of the reference posterior the methods were scored against, or null when there is none. */
  private String referenceName() {
    for (MethodOutput m : run.withPrior()) {
      Object name = JsonReader.at(m.summary, "reference", "reference");
      if (name != null) {
        return text(name);
      }
    }
    return null;
  }

  /**
   * The distances of every method (and of the prior, for reference) to the reference posterior — another run's
   * method given with {@code --reference}, or this run's mcmc — from {@code methods.<m>.reference} of
   * summary.json; nothing when the run has no reference.
   */
  private void reference() {
    String name = referenceName();
    if (name == null) {
      return;
    }
    List<MethodOutput> ms = new ArrayList<>();
    for (MethodOutput m : run.withPrior()) {
      if (!JsonReader.object(m.summary, "reference").isEmpty()) {
        ms.add(m);
      }
    }
    List<String> parts = new ArrayList<>(List.of("assim"));
    for (MethodOutput m : ms) {
      if (!JsonReader.object(m.summary, "reference", "forecast").isEmpty()) {
        parts.add("forecast");
        break;
      }
    }
    int nCols = REFERENCE_SCORES.size();
    b.append("<section id=\"reference\"><h2>Distance to the reference posterior: ").append(esc(name))
        .append("</h2>\n<div class=\"scroll\"><table class=\"scores reference\"><thead><tr><th rowspan=\"2\">"
        + "method</th>");
    for (String part : parts) {
      b.append("<th colspan=\"").append(nCols).append("\" class=\"part\">").append(partName(part)).append("</th>");
    }
    b.append("<th rowspan=\"2\">trajectories<br>(method / reference)</th></tr>\n<tr>");
    for (int p = 0; p < parts.size(); p++) {
      for (ScoreRow c : REFERENCE_SCORES) {
        b.append("<th>").append(esc(c.label())).append("</th>");
      }
    }
    b.append("</tr></thead>\n<tbody>\n<tr><th class=\"ideal\">ideal</th>");
    for (int p = 0; p < parts.size(); p++) {
      for (ScoreRow c : REFERENCE_SCORES) {
        b.append("<td class=\"ideal\">").append(esc(c.ideal())).append("</td>");
      }
    }
    b.append("<td class=\"ideal\"></td></tr>\n");
    // the best of each column among the methods (the prior is shown for reference, not ranked)
    List<MethodOutput> ranked = new ArrayList<>();
    for (MethodOutput m : ms) {
      if (!m.isPrior()) {
        ranked.add(m);
      }
    }
    Map<String, boolean[]> best = new LinkedHashMap<>();
    for (String part : parts) {
      for (ScoreRow c : REFERENCE_SCORES) {
        Double[] v = new Double[ranked.size()];
        for (int k = 0; k < v.length; k++) {
          v[k] = JsonReader.number(ranked.get(k).summary, "reference", part, c.key());
        }
        best.put(part + "." + c.key(), best(v, c));
      }
    }
    boolean marked = false;
    for (MethodOutput m : ms) {
      int k = ranked.indexOf(m);
      b.append("<tr><th").append(m.isPrior() ? " class=\"ref\"" : "").append(">").append(esc(m.label()));
      if (!warnings(m).isEmpty()) {
        marked = true;
        b.append(" <a href=\"#warnings\" class=\"warnmark\" title=\"this method has warnings\">⚠</a>");
      }
      b.append("</th>");
      for (String part : parts) {
        for (ScoreRow c : REFERENCE_SCORES) {
          Double v = JsonReader.number(m.summary, "reference", part, c.key());
          String t = v == null || !Double.isFinite(v) ? "—" : fmt(v);
          if (m.isPrior()) {
            b.append("<td class=\"ref\">").append(esc(t)).append("</td>");
          } else if (best.get(part + "." + c.key())[k]) {
            b.append("<td class=\"best\" title=\"best in this column\">").append(esc(t)).append(" ★</td>");
          } else {
            b.append("<td>").append(esc(t)).append("</td>");
          }
        }
      }
      Double n = JsonReader.number(m.summary, "reference", "assim", "samples");
      Double nr = JsonReader.number(m.summary, "reference", "assim", "reference_samples");
      b.append("<td").append(m.isPrior() ? " class=\"ref\"" : "").append(">")
          .append(n == null || nr == null || n < 2 ? "—" : esc(fmt(n) + " / " + fmt(nr))).append("</td></tr>\n");
    }
    b.append("</tbody></table></div>\n<p class=\"hint\">How far each method's posterior of the trajectory is from "
        + "the reference posterior <b>").append(esc(name)).append("</b>, taken as the truth about the posterior, "
        + "over every grid point of the assimilated states and, separately, of the forecast states (each point "
        + "counts alike, in units of the reference's posterior std there). <b>Mean error</b>: the root mean square "
        + "over the points of (mean − reference mean) / reference std: 0 when the posterior means agree, 1 when "
        + "they are on average one reference standard deviation apart (as far as a typical draw of the reference "
        + "is from its mean). <b>Std ratio</b>: the method's mean posterior std over the reference's: 1 when the "
        + "posterior is as wide on average, below 1 over-confident (0: a point estimate), above 1 too wide. "
        + "<b>Energy distance</b>: 2 E‖X − Y‖ − E‖X − X′‖ − E‖Y − Y′‖ between the method's sampled trajectories X "
        + "and the reference's Y, both standardised by the reference mean and std; unlike the two columns before "
        + "it, it compares the whole distributions (their shape and the correlations between points, not only "
        + "mean and width): 0 when they are the same, larger the more they differ, with no fixed scale (it grows "
        + "with the number of points), so compare methods with each other rather than with 1. It is estimated "
        + "from the trajectories of the last column (output.trajectory-samples of each run), which makes it "
        + "noisy: an unbiased estimate, it can be slightly negative for a method close to the reference, and "
        + "differences of its order of noise mean nothing; — where a method has no unweighted trajectories "
        + "(weighted draws, e.g. the importance corrections). ★ best in its column among the methods: lowest mean "
        + "error, std ratio closest to 1; the energy distance is not ranked, for its noise. The prior row is for "
        + "reference and not ranked.");
    if (marked) {
      b.append(" ⚠: the method has warnings (above), and its distances are no better than its posterior.");
    }
    if (name.equals(RunSummary.MCMC_REFERENCE)) {
      MethodOutput mc = run.method(McmcMethod.NAME);
      b.append(" The reference is this run's mcmc, which therefore has no row").append(mc != null
          && !warnings(mc).isEmpty() ? "; it has warnings (above), and these distances are only as good as it is."
          : ".");
    }
    b.append("</p>\n</section>\n");
  }

  /** "assimilated states" / "forecast states" for a summary.json part. */
  private String partName(String part) {
    return "assim".equals(part) ? "assimilated states (t &lt; " + run.nAssim + ")"
        : "forecast states (t ≥ " + run.nAssim + ")";
  }

  /** Marks the best value(s) of a row; nothing when fewer than two values or the row is not ranked. */
  static boolean[] best(Double[] v, ScoreRow row) {
    boolean[] out = new boolean[v.length];
    if (row.sense == Sense.NONE) {
      return out;
    }
    double bestD = Double.POSITIVE_INFINITY;
    int n = 0;
    double[] d = new double[v.length];
    for (int k = 0; k < v.length; k++) {
      if (v[k] == null || !Double.isFinite(v[k])) {
        d[k] = Double.NaN;
        continue;
      }
      n++;
      d[k] = row.sense == Sense.LOWEST ? v[k] : Math.abs(v[k] - row.target);
      bestD = Math.min(bestD, d[k]);
    }
    if (n < 2) {
      return out;
    }
    for (int k = 0; k < v.length; k++) {
      out[k] = Double.isFinite(d[k]) && d[k] <= bestD + 1e-12 * Math.max(1, Math.abs(bestD));
    }
    return out;
  }

  private static Double score(MethodOutput m, String key) {
    // keys are <score>_<part>: scores.<part>.<score> in summary.json, spread also under spread.<part>
    int u = key.lastIndexOf('_');
    if (u > 0) {
      String score = key.substring(0, u);
      String part = key.substring(u + 1);
      Double v = JsonReader.number(m.summary, "scores", part, score);
      if (v == null && score.equals("spread")) {
        v = JsonReader.number(m.summary, "spread", part);
      }
      if (v != null) {
        return v;
      }
    }
    return JsonReader.number(m.summary, key);
  }

  /**
   * The Methods table: one curated row per question — is there a posterior (or why not), what the method
   * optimised or selected by (its objective, with its standard error and whether it converged), the 4D-Var cost
   * J of its draws, ABC's distance, what its posterior is and how many draws it has, its counts and stop reasons,
   * its time — every method (also ones this report does not know) and the prior side by side; then everything
   * summary.json records per method, in a collapsed section.
   */
  private void methodTable() {
    List<MethodOutput> ms = new ArrayList<>();
    for (MethodOutput m : run.withPrior()) {
      if (!m.summary.isEmpty()) {
        ms.add(m);
      }
    }
    b.append("<section id=\"methods\"><h2>Methods</h2>\n");
    if (ms.isEmpty()) {
      b.append("<p>No per-method summary in summary.json.</p></section>\n");
      return;
    }
    List<MethodRow> rows = methodRows(ms);
    b.append("<div class=\"scroll\"><table class=\"methods\"><thead><tr><th></th>");
    for (MethodOutput m : ms) {
      b.append("<th").append(m.isPrior() ? " class=\"ref\"" : "").append(">").append(esc(m.label())).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (MethodRow row : rows) {
      b.append("<tr><th");
      if (row.hint != null) {
        b.append(" title=\"").append(esc(row.hint)).append("\"");
      }
      b.append(">").append(esc(row.label)).append("</th>");
      for (MethodOutput m : ms) {
        Cell c = row.cells.get(m.name);
        if (c == null) {
          b.append("<td></td>");
          continue;
        }
        List<String> cls = new ArrayList<>();
        if (c.warn) {
          cls.add("warn");
        }
        if (c.text) {
          cls.add("text");
        }
        b.append("<td");
        if (!cls.isEmpty()) {
          b.append(" class=\"").append(String.join(" ", cls)).append("\"");
        }
        b.append(">").append(esc(c.value));
        if (c.note != null) {
          b.append("<span class=\"why\">").append(esc(c.note)).append("</span>");
        }
        b.append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody></table></div>\n<p class=\"hint\">The objective is what each method optimised or selected "
        + "by: J (the 4D-Var cost, −log posterior up to a constant), the ELBO (higher is better, ± its Monte Carlo "
        + "standard error) or ABC's distance (not J: J of ABC's draws is its own row). Seconds: the method, then "
        + "its trajectory statistics. Hover a row name for its definition.</p>\n");
    fullSummary(ms);
    b.append("</section>\n");
  }

  /** One cell of the Methods table: its text, an optional second line, and how it is shown. */
  private static final class Cell {
    final String value;
    final String note;
    final boolean warn;
    final boolean text;

    Cell(String value, String note, boolean warn, boolean text) {
      this.value = value;
      this.note = note;
      this.warn = warn;
      this.text = text;
    }
  }

  /** One row of the Methods table. */
  private static final class MethodRow {
    final String label;
    final String hint;
    final Map<String, Cell> cells = new LinkedHashMap<>();

    MethodRow(String label, String hint) {
      this.label = label;
      this.hint = hint;
    }

    MethodRow put(MethodOutput m, Cell c) {
      if (c != null) {
        cells.put(m.name, c);
      }
      return this;
    }
  }

  /** The curated rows, each kept only when some method has a value for it. */
  static List<MethodRow> methodRows(List<MethodOutput> ms) {
    MethodRow status = new MethodRow("posterior", "whether the method produced a posterior, and its family");
    MethodRow draws = new MethodRow("draws", "posterior draws used for the statistics (of those requested); "
        + "non-finite ones are excluded");
    MethodRow what = new MethodRow("what the posterior is", "how the method's posterior is made of its results");
    MethodRow objective = new MethodRow("objective", "what the method optimised or selected by, with its standard "
        + "error when it is estimated");
    MethodRow converged = new MethodRow("converged", "whether the method's own convergence test passed for the "
        + "reported posterior, and what that test is");
    MethodRow cost = new MethodRow("4D-Var cost J", "J = Jb + Jo of the method's result: at the best minimum (map), "
        + "of the draws (abc: kept trials; ensemble: members at their minima, unperturbed), E_q[J] (vi)");
    MethodRow distance = new MethodRow("ABC distance", "ABC's distance of its draws (what it ranks the trials by), "
        + "and the threshold");
    MethodRow rhat = new MethodRow("max R̂", String.format(Locale.ROOT, "the largest rank-normalised split-R̂ over "
        + "the components of x0 (Vehtari et al. 2021), and that of the log density: above %.2f the chains have "
        + "not mixed", Convergence.RHAT_WARN));
    MethodRow minEss = new MethodRow("min ESS (bulk / tail)", String.format(Locale.ROOT, "the smallest bulk and tail "
        + "effective sample sizes over the components of x0: below %.0f means, sds and 5/95 %% quantiles are "
        + "imprecise", Convergence.ESS_WARN));
    MethodRow paretoK = new MethodRow("Pareto k̂", String.format(Locale.ROOT, "the shape of the importance "
        + "weights' tail (PSIS, Vehtari et al. 2024): good up to %.1f, usable (ok, more slowly converging) up to "
        + "the threshold min(0.7, 1 − 1/log10 S), unreliable above: the proposal misses posterior mass",
        Reliability.GOOD_MAX));
    Map<String, MethodRow> counts = new LinkedHashMap<>();
    MethodRow stops = new MethodRow("stop reasons", "why each unit (start, member, restart) stopped, counted");
    MethodRow seconds = new MethodRow("seconds", "wall-clock time of the method + of its trajectory statistics");
    for (MethodOutput m : ms) {
      Map<String, Object> s = m.summary;
      // posterior and draws
      if (m.unavailable()) {
        status.put(m, new Cell("unavailable", m.reason(), true, true));
      } else {
        Object fam = JsonReader.at(s, "posterior", "family");
        if (fam != null || Boolean.TRUE.equals(s.get("available"))) {
          Object mom = JsonReader.at(s, "posterior", "moments");
          status.put(m, new Cell(fam == null ? "available" : text(fam)
              + (Boolean.TRUE.equals(JsonReader.at(s, "posterior", "weighted")) ? ", weighted" : ""),
              mom == null ? null : "moments " + text(mom), false, true));
        }
      }
      Double used = JsonReader.number(s, "posterior", "draws");
      if (used != null) {
        Double req = JsonReader.number(s, "posterior", "draws_requested");
        Double bad = JsonReader.number(s, "posterior", "non_finite_excluded");
        Double ess = JsonReader.number(s, "posterior", "weight_ess");
        List<String> more = new ArrayList<>();
        if (req != null && !req.equals(used)) {
          more.add("of " + fmt(req) + " requested");
        }
        if (bad != null && bad > 0) {
          more.add(fmt(bad) + " non-finite excluded");
        }
        if (ess != null) {
          more.add("ESS " + fmt(ess));
        }
        draws.put(m, new Cell(fmt(used), more.isEmpty() ? null : String.join(", ", more), bad != null && bad > 0,
            false));
      }
      Object how = s.get("posterior_draws");
      if (how instanceof String) {
        what.put(m, new Cell((String) how, null, false, true));
      }
      // objective, converged
      Map<String, Object> o = JsonReader.object(s, "objective");
      if (!o.isEmpty() && o.get("name") != null) {
        String name = text(o.get("name"));
        Double v = JsonReader.number(o, "value");
        Double se = JsonReader.number(o, "stderr");
        String val = v == null ? "—" : fmt(v) + (se != null && se > 0 ? " ± " + fmtErr(se) : "");
        String note = null;
        if ("distance".equals(name)) {
          Object d = s.get("distance");
          name = "distance" + (d instanceof String ? " (" + d + ")" : "");
          note = "the largest distance of the draws";
        } else if (se != null && se == 0) {
          note = "exact";
        } else if (se == null && "J".equals(name)) {
          note = "median over the members";
        }
        objective.put(m, new Cell(name + " = " + val, note, false, false));
        Object conv = o.get("converged");
        if (conv instanceof Boolean) {
          Object why = o.get("convergence");
          converged.put(m, new Cell((Boolean) conv ? "yes" : "no", why == null ? null : text(why), false, true));
        }
      }
      // J
      Double best = JsonReader.number(s, "best_cost");
      Map<String, Object> dist = JsonReader.object(s, "cost");
      Map<String, Object> ej = JsonReader.object(s, "expected_cost");
      if (best != null) {
        cost.put(m, new Cell(fmt(best), "at the best minimum" + (dist.isEmpty() ? "" : "; " + range(dist, "starts")),
            false, false));
      } else if (!dist.isEmpty()) {
        cost.put(m, new Cell("median " + fmt(JsonReader.number(dist, "median")), range(dist,
            "ensemble".equals(m.name) ? "members (unperturbed)" : "draws"), false, false));
      } else if (!ej.isEmpty()) {
        cost.put(m, new Cell("E_q[J] median " + fmt(JsonReader.number(ej, "median")), range(ej, "restarts"), false,
            false));
      }
      // ABC distance
      Map<String, Object> dd = JsonReader.object(s, "distance_of_draws");
      Double th = JsonReader.number(s, "threshold");
      if (!dd.isEmpty() || th != null) {
        Object src = s.get("threshold_source");
        distance.put(m, new Cell(dd.isEmpty() ? "—" : "median " + fmt(JsonReader.number(dd, "median")),
            (dd.isEmpty() ? "" : range(dd, "draws") + "; ") + (th == null ? "" : "threshold " + fmt(th)
                + (src == null ? "" : " (" + text(src) + ")")), false, false));
      }
      // sampler and importance diagnostics
      Double maxRhat = JsonReader.number(s, "max_rhat");
      if (maxRhat != null || s.containsKey("max_rhat")) {
        Double pot = JsonReader.number(s, "rhat_potential");
        rhat.put(m, new Cell(rhat(maxRhat), pot == null ? null : "log density " + rhat(pot),
            !(maxRhat != null && maxRhat <= Convergence.RHAT_WARN)
                || pot != null && !(pot <= Convergence.RHAT_WARN), false));
      }
      if (s.containsKey("min_ess_bulk") || s.containsKey("min_ess_tail")) {
        Double bulk = JsonReader.number(s, "min_ess_bulk");
        Double tail = JsonReader.number(s, "min_ess_tail");
        Double n = JsonReader.number(s, "posterior", "draws");
        minEss.put(m, new Cell((bulk == null ? "NaN" : fmt(Math.rint(bulk))) + " / " + (tail == null ? "NaN"
            : fmt(Math.rint(tail))), n == null ? null : "of " + fmt(n) + " draws",
            !(bulk != null && bulk >= Convergence.ESS_WARN && tail != null && tail >= Convergence.ESS_WARN),
            false));
      }
      if (s.containsKey("pareto_k")) {
        paretoK.put(m, paretoK(s));
      }
      // counts
      for (Map.Entry<String, Object> e : JsonReader.object(s, "counts").entrySet()) {
        String k = e.getKey();
        boolean bad = k.contains("diverged") || k.contains("excluded") || k.contains("non_finite");
        String v = text(e.getValue());
        counts.computeIfAbsent(k, x -> new MethodRow("counts: " + k.replace('_', ' '), null))
            .put(m, new Cell(v, null, bad && !"0".equals(v), false));
      }
      Map<String, Object> st = JsonReader.object(s, "stop_reasons");
      if (!st.isEmpty()) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Object> e : st.entrySet()) {
          parts.add(e.getKey() + " " + text(e.getValue()));
        }
        stops.put(m, new Cell(String.join(", ", parts), null, false, true));
      }
      Double sec = JsonReader.number(s, "seconds");
      Double stat = JsonReader.number(s, "statistics_seconds");
      if (sec != null || stat != null) {
        seconds.put(m, new Cell((sec == null ? "—" : fmt(sec)) + (stat == null ? "" : " + " + fmt(stat)), null, false,
            false));
      }
    }
    List<MethodRow> out = new ArrayList<>(List.of(status, draws, what, objective, converged, rhat, minEss, paretoK,
        cost, distance));
    out.addAll(counts.values());
    out.add(stops);
    out.add(seconds);
    out.removeIf(r -> r.cells.isEmpty());
    return out;
  }

  /** An R̂ with four decimals (1.0104 is above 1.01, which four significant digits would hide); NaN if null. */
  private static String rhat(Double v) {
    return v == null ? "NaN" : Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : String.valueOf(v);
  }

  /**
   * The Pareto k̂ cell of an importance correction: k̂ (or, not finite, how the tail was fitted), its
   * reliability as the run classified it ({@code reliability}, against {@code pareto_k_threshold}) and the ESS of
   * the smoothed weights; a warning when unreliable.
   */
  private static Cell paretoK(Map<String, Object> s) {
    Double k = JsonReader.number(s, "pareto_k");
    Double th = JsonReader.number(s, "pareto_k_threshold");
    Object rel = s.get("reliability");
    Double ess = JsonReader.number(s, "ess");
    String t = th == null ? "the threshold" : fmt(th);
    String why;
    if (Reliability.GOOD.configName().equals(rel)) {
      why = String.format(Locale.ROOT, "good (k̂ ≤ %.1f)", Reliability.GOOD_MAX);
    } else if (Reliability.USABLE.configName().equals(rel)) {
      why = String.format(Locale.ROOT, "usable (%.1f < k̂ ≤ %s): ok, converges more slowly", Reliability.GOOD_MAX, t);
    } else if (Reliability.UNRELIABLE.configName().equals(rel)) {
      why = "unreliable (k̂ > " + t + ")";
    } else {
      why = rel == null ? null : text(rel);
    }
    String v = k != null ? fmt(k) : s.get("fit") != null ? text(s.get("fit")) : "not finite";
    if (ess != null) {
      why = (why == null ? "" : why + "; ") + "ESS " + fmt(Math.rint(ess));
    }
    return new Cell(v, why, Reliability.UNRELIABLE.configName().equals(rel), false);
  }

  /** "47.39–61.63 over 100 members" from a distribution entry (count, min, max). */
  private static String range(Map<String, Object> d, String of) {
    Double lo = JsonReader.number(d, "min");
    Double hi = JsonReader.number(d, "max");
    Double n = JsonReader.number(d, "count");
    return (lo != null && hi != null ? fmt(lo) + "–" + fmt(hi) + " " : "") + (n != null ? "over " + fmt(n) + " " : "")
        + of;
  }

  /** Everything summary.json records per method, flattened, in a collapsed section. */
  private void fullSummary(List<MethodOutput> ms) {
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    for (MethodOutput m : ms) {
      Map<String, String> flat = new LinkedHashMap<>();
      flatten("", m.summary, flat, true);
      for (Map.Entry<String, String> e : flat.entrySet()) {
        rows.computeIfAbsent(e.getKey(), x -> new LinkedHashMap<>()).put(m.name, e.getValue());
      }
    }
    b.append("<details><summary>Everything summary.json records per method (").append(rows.size())
        .append(" entries; the file itself: <a href=\"summary.json\">summary.json</a>)</summary>\n")
        .append("<div class=\"scroll\"><table class=\"methods full\"><thead><tr><th></th>");
    for (MethodOutput m : ms) {
      b.append("<th>").append(esc(m.label())).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (Map.Entry<String, Map<String, String>> e : rows.entrySet()) {
      b.append("<tr><th>").append(esc(e.getKey())).append("</th>");
      for (MethodOutput m : ms) {
        String v = e.getValue().get(m.name);
        b.append("<td class=\"text\">").append(v == null ? "" : esc(v)).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody></table></div></details>\n");
  }

  private static void flatten(String prefix, Map<?, ?> m, Map<String, String> out) {
    flatten(prefix, m, out, false);
  }

  /** Flattens nested maps into dotted keys; long lists (rank histograms) are summarised by their length. */
  private static void flatten(String prefix, Map<?, ?> m, Map<String, String> out, boolean shortLists) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
      if (e.getValue() instanceof Map) {
        flatten(k, (Map<?, ?>) e.getValue(), out, shortLists);
      } else if (shortLists && e.getValue() instanceof List && ((List<?>) e.getValue()).size() > 12) {
        out.put(k, "[" + ((List<?>) e.getValue()).size() + " values]");
      } else {
        out.put(k, text(e.getValue()));
      }
    }
  }

  /** Display text of a JSON value: integers without ".0", lists in brackets, null as "null". */
  static String text(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double) {
      return fmt((Double) v);
    }
    if (v instanceof List) {
      List<String> parts = new ArrayList<>();
      for (Object o : (List<?>) v) {
        parts.add(text(o));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    return String.valueOf(v);
  }

  /** Up to 4 significant digits; integers as integers. */
  /** {@link #fmt(double)} of a number read from JSON, or "–" where summary.json has none (null, absent). */
  static String fmt(Double v) {
    return v == null ? "–" : fmt(v.doubleValue());
  }

  static String fmt(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) v);
    }
    return ColourBar.format(v);
  }

  /** A standard error: two significant digits. */
  static String fmtErr(double v) {
    return ColourBar.format(Double.parseDouble(String.format(Locale.ROOT, "%.2g", v)));
  }

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * v);
  }

  /** HTML-escapes text for element content and attribute values. */
  static String esc(String s) {
    StringBuilder o = new StringBuilder(s.length() + 16);
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '&':
          o.append("&amp;");
          break;
        case '<':
          o.append("&lt;");
          break;
        case '>':
          o.append("&gt;");
          break;
        case '"':
          o.append("&quot;");
          break;
        case '\'':
          o.append("&#39;");
          break;
        default:
          o.append(c);
      }
    }
    return o.toString();
  }

  static final String CSS = String.join("\n",
      ":root{--ink:#222;--muted:#666;--line:#d9d9d9;--best:#e3f2e1;--bestink:#1e6b1e;--warn:#fff4e0}",
      "*{box-sizing:border-box}",
      "body{margin:0;background:#f6f6f4;color:var(--ink);font:15px/1.5 system-ui,-apple-system,'Segoe UI',"
          + "Roboto,'DejaVu Sans',Arial,sans-serif}",
      "main{max-width:1480px;margin:0 auto;padding:20px 28px 40px;background:#fff;min-height:100vh}",
      "header h1{margin:0 0 2px;font-size:26px}",
      ".sub{margin:0;color:var(--muted);font-size:13px;word-break:break-all}",
      ".run{margin:6px 0 0;font-size:14px}",
      "code{font:13px/1.4 'DejaVu Sans Mono',Menlo,Consolas,monospace;background:#f1f1f1;padding:1px 4px;"
          + "border-radius:3px;word-break:break-all}",
      "nav{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line);"
          + "padding:8px 0;margin:14px 0 8px}",
      "nav a{margin-right:16px;color:#0b5cad;text-decoration:none;font-size:14px}",
      "nav a:hover{text-decoration:underline}",
      "h2{font-size:20px;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid #eee}",
      "h3{font-size:15px;margin:0 0 6px}",
      "section{scroll-margin-top:48px}",
      ".notes{background:var(--warn);border:1px solid #f0d9a8;border-radius:6px;padding:2px 16px 8px;"
          + "margin-top:16px}",
      ".notes h2{border:0;font-size:16px;margin:10px 0 4px}",
      ".warnings{background:#fdecea;border:1px solid #f1b0a8;border-radius:6px;padding:2px 16px 8px;"
          + "margin-top:16px}",
      ".warnings h2{border:0;font-size:16px;margin:10px 0 4px;color:#8a1c10}",
      ".warnings ul{margin:0;padding-left:20px;font-size:14px}",
      "th.part{text-align:center}",
      "a.warnmark{color:#b3261e;text-decoration:none}",
      ".notes ul{margin:0;padding-left:20px;font-size:14px}",
      ".cards{display:flex;flex-wrap:wrap;gap:16px}",
      ".card{flex:1 1 340px;border:1px solid var(--line);border-radius:6px;padding:10px 14px}",
      ".card.wide{flex:2 1 680px}",
      ".card.wide dl{grid-template-columns:max-content 1fr max-content 1fr}",
      "dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0;font-size:14px}",
      "dt{color:var(--muted)}",
      "dd{margin:0;font-variant-numeric:tabular-nums;word-break:break-word}",
      "details{margin-top:12px;font-size:14px}",
      "summary{cursor:pointer;color:#0b5cad}",
      "table{border-collapse:collapse;font-size:14px;margin:4px 0}",
      "th,td{border-bottom:1px solid var(--line);padding:5px 12px;text-align:right;"
          + "font-variant-numeric:tabular-nums;white-space:nowrap}",
      "th:first-child{text-align:left}",
      "thead th{border-bottom:2px solid #999;text-align:right;vertical-align:bottom}",
      "tbody th{font-weight:normal}",
      "tr.group th{text-align:left;font-weight:bold;background:#f3f3f3;padding-top:8px}",
      "td.ideal,th.ideal{color:var(--muted)}",
      "td.ref,th.ref{color:var(--muted);font-style:italic}",
      "td.best{background:var(--best);color:var(--bestink);font-weight:bold}",
      "td.warn{color:#a05a00;font-weight:bold}",
      "table.config th{text-align:left;color:var(--muted);font-weight:normal}",
      "table.methods td.text{text-align:left;white-space:normal;min-width:9em;max-width:22em}",
      "table.methods td .why{display:block;color:var(--muted);font-size:12px;font-weight:normal;"
          + "white-space:normal;max-width:22em;margin-left:auto}",
      "table.methods td.text .why{margin-left:0}",
      "table.methods th[title]{text-decoration:underline dotted #aaa}",
      "table.full td.text{font-size:13px;word-break:break-word}",
      "table.config td{text-align:left;white-space:normal;word-break:break-word}",
      ".hint{color:var(--muted);font-size:13px;margin:4px 0 0}",
      ".scroll{overflow-x:auto}",
      "figure{margin:18px 0 26px}",
      "figure img{display:block;max-width:100%;height:auto;margin:0 auto}",
      "figcaption{font-size:14px;color:#333;margin:6px auto 0;max-width:1200px}",
      ".file{color:var(--muted);font-size:12px;margin-left:6px}",
      "footer{margin-top:32px;color:var(--muted);font-size:12px}",
      "");
}
