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

/**
 * Writes report.html: one self-contained page (inline CSS, images as {@code data:} URIs, no script, no external
 * resource) with the run, the settings, the score table (methods side by side, the best value of each row
 * marked), the per-method counts and every figure with its caption. Every text taken from the directory is
 * escaped.
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

  private static final Set<String> FLAT_DUPLICATES = Set.of("rmse_assim", "rmse_forecast", "spread_assim",
      "spread_forecast", "scores");

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
    notes();
    settings();
    scores();
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
    b.append("<nav><a href=\"#settings\">Settings</a> <a href=\"#scores\">Scores</a> "
        + "<a href=\"#methods\">Methods</a>");
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
    b.append("<div class=\"scroll\"><table class=\"scores\"><thead><tr><th>score</th><th class=\"ideal\">ideal</th>");
    if (bg) {
      b.append("<th class=\"ref\">background</th>");
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
      b.append("<tr class=\"group\"><th colspan=\"").append(ms.size() + 2 + (bg ? 1 : 0)).append("\">")
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
        + "column is the error of the background trajectory, for reference.</p>\n</section>\n");
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

  private void methodTable() {
    List<MethodOutput> ms = new ArrayList<>();
    for (MethodOutput m : run.methods) {
      if (!m.summary.isEmpty()) {
        ms.add(m);
      }
    }
    b.append("<section id=\"methods\"><h2>Methods</h2>\n");
    if (ms.isEmpty()) {
      b.append("<p>No per-method summary in summary.json.</p></section>\n");
      return;
    }
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    for (MethodOutput m : ms) {
      for (Map.Entry<String, Object> e : m.summary.entrySet()) {
        if (FLAT_DUPLICATES.contains(e.getKey()) || e.getValue() instanceof List) {
          continue;
        }
        if (e.getValue() instanceof Map) {
          for (Map.Entry<?, ?> s : ((Map<?, ?>) e.getValue()).entrySet()) {
            if (!(s.getValue() instanceof Map) && !(s.getValue() instanceof List)) {
              rows.computeIfAbsent(e.getKey().replace('_', ' ') + ": " + String.valueOf(s.getKey())
                  .replace('_', ' '), x -> new LinkedHashMap<>()).put(m.name, text(s.getValue()));
            }
          }
        } else {
          rows.computeIfAbsent(e.getKey().replace('_', ' '), x -> new LinkedHashMap<>())
              .put(m.name, text(e.getValue()));
        }
      }
    }
    List<String> keys = new ArrayList<>(rows.keySet());
    keys.sort(java.util.Comparator.comparingInt(HtmlReport::methodRowRank));
    b.append("<div class=\"scroll\"><table class=\"methods\"><thead><tr><th></th>");
    for (MethodOutput m : ms) {
      b.append("<th>").append(esc(m.label())).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (String k : keys) {
      Map<String, String> r = rows.get(k);
      boolean warn = k.contains("diverged") || k.contains("excluded");
      b.append("<tr><th>").append(esc(k)).append("</th>");
      for (MethodOutput m : ms) {
        String v = r.get(m.name);
        boolean flag = warn && v != null && !v.equals("0");
        b.append(flag ? "<td class=\"warn\">" : "<td>").append(v == null ? "" : esc(v)).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</tbody></table></div>\n<p class=\"hint\">Counts, timings and method-specific values as the run "
        + "recorded them in summary.json.</p>\n</section>\n");
  }

  /** Common rows first (time, samples, counts, final cost), then the method-specific ones in their order. */
  private static int methodRowRank(String k) {
    String[] order = {"seconds", "samples", "counts: trials", "counts: members", "counts: restarts",
        "counts: starts", "counts: converged", "counts: diverged", "counts: excluded", "final cost: min",
        "final cost: median", "final cost: mean", "final cost: max"};
    for (int i = 0; i < order.length; i++) {
      if (order[i].equals(k)) {
        return i;
      }
    }
    return k.startsWith("counts") ? order.length - 5 : k.startsWith("final cost") ? order.length : order.length + 1;
  }

  private static void flatten(String prefix, Map<?, ?> m, Map<String, String> out) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
      if (e.getValue() instanceof Map) {
        flatten(k, (Map<?, ?>) e.getValue(), out);
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
  static String fmt(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) v);
    }
    return ColourBar.format(v);
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
