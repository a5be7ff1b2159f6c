package org.vi4dvar.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.kernels.abc.AbcDistance;
import org.vi4dvar.kernels.config.AbcSettings;
import org.vi4dvar.kernels.config.BackgroundSettings;
import org.vi4dvar.kernels.config.CalibrateSettings;
import org.vi4dvar.kernels.config.ConfigChoice;
import org.vi4dvar.kernels.config.ConfigError;
import org.vi4dvar.kernels.config.EnsembleSettings;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.config.McmcSettings;
import org.vi4dvar.kernels.config.PsisSettings;
import org.vi4dvar.kernels.mcmc.MetricAdaptation;
import org.vi4dvar.kernels.mcmc.SamplerKind;
import org.vi4dvar.kernels.config.InitScale;
import org.vi4dvar.kernels.config.MapSettings;
import org.vi4dvar.kernels.config.MinimizerSettings;
import org.vi4dvar.kernels.config.ModelSettings;
import org.vi4dvar.kernels.config.NoiseRange;
import org.vi4dvar.kernels.config.ObsSettings;
import org.vi4dvar.kernels.config.OutputSettings;
import org.vi4dvar.kernels.config.PosteriorSettings;
import org.vi4dvar.kernels.config.StartPoint;
import org.vi4dvar.kernels.config.TwinSettings;
import org.vi4dvar.kernels.config.ViPosterior;
import org.vi4dvar.kernels.config.ViSettings;
import org.vi4dvar.kernels.config.WindowSettings;
import org.vi4dvar.kernels.experiment.MethodRegistry;
import org.vi4dvar.kernels.map.HessianMethod;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.vi.GradientEstimator;
import org.vi4dvar.kernels.vi.LearningRateSchedule;
import org.vi4dvar.kernels.vi.VariationalFamily;

/**
 * Loads the configuration: the defaults ({@value #DEFAULTS_RESOURCE} on the classpath), then the
 * {@code --config} file over them, then each {@code --set key=value} over that (later ones win; values are HOCON
 * values), resolved, checked for unknown keys and read into a validated {@link Vi4dvarSettings}.
 *
 * <p>Every mistake becomes a one-line {@link BadInputException} that names the key (or the file) and says where
 * the value came from ({@code file.conf:12} or {@code --set key=value}). Unknown keys are answered with the
 * nearest known key by edit distance.
 */
public final class ConfigLoader {

  /** The defaults, which document every key. */
  public static final String DEFAULTS_RESOURCE = "vi4dvar-defaults.conf";

  private static final String SET_ORIGIN = "--set ";

  /** The section whose keys are free: helper values for substitutions, never read as settings. */
  public static final String VARS = "vars";

  /** A string that looks like arithmetic ({@code 2^63}, {@code 10*1000}). */
  private static final java.util.regex.Pattern ARITHMETIC = java.util.regex.Pattern.compile(
      "[0-9.eE+\\-]+(\\s*[*/^+\\-]\\s*[0-9.eE+\\-()]+)+");

  /** An optional substitution, {@code ${?name}}. */
  private static final java.util.regex.Pattern OPTIONAL_SUBSTITUTION = java.util.regex.Pattern.compile(
      "\\$\\{\\?\\s*([^}\\s]+)\\s*}");

  private ConfigLoader() {
  }

  /** The defaults alone (the talk's experiment). */
  public static Vi4dvarSettings defaults() {
    return load(null, List.of());
  }

  /**
   * Loads and validates the configuration.
   *
   * @param configFile the {@code --config} file, or null
   * @param sets the {@code --set key=value} arguments, in command-line order
   * @throws BadInputException naming the key or file and what was expected
   */
  public static Vi4dvarSettings load(Path configFile, List<String> sets) {
    return load(configFile, sets, w -> { });
  }

  /**
   * As {@link #load(Path, List)}, with a sink for warnings (one line each, e.g. an {@code include} that found no
   * file).
   */
  public static Vi4dvarSettings load(Path configFile, List<String> sets, Consumer<String> warnings) {
    return read(merged(configFile, sets, warnings));
  }

  /** The layered configuration, resolved, every key checked (those of {@code calibrate.set} too). */
  private static Config merged(Path configFile, List<String> sets, Consumer<String> warnings) {
    Config defaults = parseDefaults();
    Config merged = defaults;
    if (configFile != null) {
      merged = parseFile(configFile, warnings).withFallback(merged);
    }
    for (String s : sets) {
      merged = parseSet(s).withFallback(merged);
    }
    String unresolved = merged.root().render(ConfigRenderOptions.concise());
    Config resolved;
    try {
      // no system properties, no environment: a run's configuration is what its files and --set say
      resolved = merged.resolve(ConfigResolveOptions.noSystem());
    } catch (ConfigException e) {
      throw new BadInputException("configuration" + where(e.origin()) + ": " + withoutOrigin(e)
          + (e instanceof ConfigException.UnresolvedSubstitution ? " (a substitution names a configuration key, "
          + "e.g. ${vars.base}; environment variables are not read: let the shell expand them, --set key=$VAR)"
          : ""), e);
    }
    java.util.regex.Matcher m = OPTIONAL_SUBSTITUTION.matcher(unresolved);
    java.util.Set<String> warned = new java.util.TreeSet<>();
    while (m.find()) {
      String name = m.group(1);
      boolean defined;
      try {
        defined = resolved.hasPathOrNull(name);
      } catch (ConfigException e) {
        defined = false;
      }
      if (!defined && warned.add(name)) {
        warnings.accept("warning: configuration: ${?" + name + "} names no configuration key, so the setting "
            + "that uses it keeps its earlier value (environment variables are not read)");
      }
    }
    checkKeys(resolved.root(), defaults.root(), "");
    checkTwinKeys(resolved, defaults);
    return resolved;
  }

  /**
   * The settings as HOCON text with the keys of the defaults file; {@link #load} of this text gives the same
   * settings.
   */
  public static String renderHocon(Vi4dvarSettings s) {
    ConfigRenderOptions opts = ConfigRenderOptions.defaults().setOriginComments(false).setComments(false)
        .setJson(false).setFormatted(true);
    return ConfigValueFactory.fromMap(s.toTree()).render(opts);
  }

  private static Config parseDefaults() {
    try {
      return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEFAULTS_RESOURCE,
          ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
    } catch (ConfigException e) {
      throw new IllegalStateException("the built-in defaults " + DEFAULTS_RESOURCE + " do not load: "
          + e.getMessage(), e);
    }
  }

  /**
   * The files that {@code configFile}'s {@code include}s read (directly or through other includes), for the
   * check that {@code --out} contains none of the command's inputs; empty for null. A file that does not parse
   * gives the includes read so far ({@link #load} then reports the mistake).
   */
  public static List<Path> includedFiles(Path configFile) {
    List<Path> out = new ArrayList<>();
    if (configFile == null || fileProblem(configFile) != null) {
      return out;
    }
    Includer includer = new Includer(w -> { });
    try {
      parseFile(configFile, includer);
    } catch (BadInputException e) {
      // reported by load
    }
    for (java.io.File f : includer.included) {
      out.add(f.toPath());
    }
    return out;
  }

  private static Config parseFile(Path f, Consumer<String> warnings) {
    String problem = fileProblem(f);
    if (problem != null) {
      throw new BadInputException("config file '" + f + "' " + problem);
    }
    return parseFile(f, new Includer(warnings));
  }

  private static Config parseFile(Path f, Includer includer) {
    includer.enter(f.toFile());
    try {
      return ConfigFactory.parseFile(f.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)
          .setSyntax(ConfigSyntax.CONF).setIncluder(includer));
    } catch (ConfigException e) {
      throw new BadInputException("config file '" + f + "'" + lineOf(e) + ": " + withoutOrigin(e), e);
    } finally {
      includer.leave();
    }
  }

  /**
   * Null if {@code f} can be read as a configuration file, else why not (checked before opening it: a named pipe
   * would block the parser forever).
   */
  static String fileProblem(Path f) {
    if (!Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return "not found";
    }
    if (Files.isSymbolicLink(f) && !Files.exists(f)) {
      try {
        f.toRealPath();
        return "cannot be followed";
      } catch (java.io.IOException e) {
        String why = org.vi4dvar.driver.io.OutputDirectory.reason(e);
        return why.toLowerCase(Locale.ROOT).contains("too many levels") ? "is a symbolic link that loops"
            : "is a symbolic link to a file that does not exist";
      }
    }
    if (Files.isDirectory(f)) {
      return "is a directory, expected a HOCON file";
    }
    if (!Files.isRegularFile(f)) {
      return "is not a regular file (a named pipe, device or socket), expected a HOCON file";
    }
    if (!Files.isReadable(f)) {
      return "is not readable (permission denied)";
    }
    try (java.io.InputStream in = Files.newInputStream(f)) {
      byte[] head = in.readNBytes(4096);
      if (head.length >= 2 && ((head[0] == (byte) 0xFE && head[1] == (byte) 0xFF)
          || (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE))) {
        return "starts with a UTF-16 byte-order mark: UTF-16 text, expected UTF-8 text";
      }
      for (int i = 0; i < head.length; i++) {
        if (head[i] == 0) {
          return "contains a NUL byte (byte " + i + "): UTF-16 or binary data, expected UTF-8 text";
        }
      }
    } catch (java.io.IOException e) {
      return "cannot be read (" + org.vi4dvar.driver.io.OutputDirectory.reason(e) + ")";
    }
    return null;
  }

  /**
   * Includes in configuration files: like HOCON's default includer, but an {@code include} that finds no file
   * is a warning (HOCON ignores it silently; {@code include required(...)} stays an error), an include cycle is
   * one short error naming the files, a file that is not a regular file is refused before it is opened, and
   * {@code include url(...)} is refused (no network access while loading a configuration).
   */
  private static final class Includer implements com.typesafe.config.ConfigIncluder,
      com.typesafe.config.ConfigIncluderFile, com.typesafe.config.ConfigIncluderURL {

    private final Consumer<String> warnings;
    private final java.util.Deque<java.io.File> stack;
    private final com.typesafe.config.ConfigIncluder fallback;
    /** Every file included, in the order they were read (canonical paths). */
    private final List<java.io.File> included;

    Includer(Consumer<String> warnings) {
      this(warnings, new java.util.ArrayDeque<>(), null, new ArrayList<>());
    }

    private Includer(Consumer<String> warnings, java.util.Deque<java.io.File> stack,
        com.typesafe.config.ConfigIncluder fallback, List<java.io.File> included) {
      this.warnings = warnings;
      this.stack = stack;
      this.fallback = fallback;
      this.included = included;
    }

    void enter(java.io.File f) {
      stack.push(canonical(f));
    }

    void leave() {
      stack.pop();
    }

    private static java.io.File canonical(java.io.File f) {
      try {
        return f.getCanonicalFile();
      } catch (java.io.IOException e) {
        return f.getAbsoluteFile();
      }
    }

    @Override
    public com.typesafe.config.ConfigIncluder withFallback(com.typesafe.config.ConfigIncluder f) {
      return f == fallback ? this : new Includer(warnings, stack, f, included);
    }

    @Override
    public ConfigObject include(com.typesafe.config.ConfigIncludeContext context, String what) {
      // `include "name"`: a file next to the including one (HOCON also tries name.conf, .json, .properties), else
      // a classpath resource of that name
      java.io.File base = new java.io.File(what);
      if (!base.isAbsolute() && stack.peek() != null && stack.peek().getParentFile() != null) {
        base = new java.io.File(stack.peek().getParentFile(), what);
      }
      java.io.File found = null;
      boolean resource = false;
      for (String ext : new String[] {"", ".conf", ".json", ".properties"}) {
        java.io.File c = new java.io.File(base.getPath() + ext);
        if (Files.exists(c.toPath(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          found = c;
          break;
        }
        resource |= ConfigLoader.class.getClassLoader().getResource(what + ext) != null;
      }
      if (found == null) {
        return resource ? fallback.include(context, what) : missing(context, "\"" + what + "\"", base);
      }
      return guarded(found, () -> fallback.include(context, what));
    }

    @Override
    public ConfigObject includeFile(com.typesafe.config.ConfigIncludeContext context, java.io.File what) {
      if (!Files.exists(what.toPath(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return missing(context, "file(\"" + what + "\")", what);
      }
      return guarded(what, () -> ((com.typesafe.config.ConfigIncluderFile) fallback).includeFile(context, what));
    }

    @Override
    public ConfigObject includeURL(com.typesafe.config.ConfigIncludeContext context, java.net.URL what) {
      throw new BadInputException("configuration: include url(\"" + what + "\") is not supported (no network "
          + "access while loading a configuration); copy the file and write include file(\"...\")");
    }

    private ConfigObject missing(com.typesafe.config.ConfigIncludeContext context, String what, java.io.File at) {
      if (!context.parseOptions().getAllowMissing()) {
        throw new BadInputException("configuration: include required(" + what + "): " + at + " not found");
      }
      warnings.accept("warning: configuration: include " + what + " (in " + stack.peek() + ") found no file "
          + at + "; ignored (write include required(...) to make a missing file an error)");
      return ConfigFactory.empty().root();
    }

    private ConfigObject guarded(java.io.File f, java.util.function.Supplier<ConfigObject> parse) {
      java.io.File c = canonical(f);
      if (stack.contains(c)) {
        List<String> chain = new ArrayList<>();
        java.util.Iterator<java.io.File> it = stack.descendingIterator();
        while (it.hasNext()) {
          chain.add(it.next().getName());
        }
        chain.add(c.getName());
        throw new BadInputException("configuration: include cycle " + String.join(" → ", chain) + " (" + c
            + " includes itself through these files)");
      }
      String problem = fileProblem(f.toPath());
      if (problem != null) {
        throw new BadInputException("configuration: included file '" + f + "' (in " + stack.peek() + ") "
            + problem);
      }
      stack.push(c);
      included.add(c);
      try {
        return parse.get();
      } finally {
        stack.pop();
      }
    }
  }

  /** {@code key=value} → a one-key config whose value is the HOCON value, with origin {@code --set key=value}. */
  static Config parseSet(String arg) {
    int eq = arg.indexOf('=');
    if (eq <= 0) {
      throw new BadInputException("malformed --set '" + oneLine(arg) + "': expected key=value, e.g. --set "
          + "model.nx=40");
    }
    String key = arg.substring(0, eq).trim();
    String text = arg.substring(eq + 1);
    try {
      ConfigUtil.splitPath(key);
    } catch (ConfigException e) {
      throw new BadInputException("malformed --set '" + oneLine(arg) + "': '" + key
          + "' is not a configuration key (expected e.g. model.nx)", e);
    }
    if (text.isBlank()) {
      throw new BadInputException("malformed --set '" + oneLine(arg) + "': no value after '='");
    }
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new BadInputException("malformed --set '" + oneLine(arg) + "': the value spans several lines");
    }
    String origin = SET_ORIGIN + oneLine(arg);
    ConfigValue v = hoconValue(text, origin);
    if (v == null) {
      // not HOCON (e.g. local[2], spark://host:7077): the text itself, as a string
      v = ConfigValueFactory.fromAnyRef(text.strip(), origin);
    }
    return ConfigFactory.empty().withValue(key, v);
  }

  /**
   * {@code text} parsed as one HOCON value, or null when it is not one or when HOCON would silently change an
   * unquoted text (a {@code //} or {@code #} comment, as in {@code spark://host:7077}).
   */
  private static ConfigValue hoconValue(String text, String origin) {
    Config parsed;
    try {
      parsed = ConfigFactory.parseString("v = " + text,
          ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setOriginDescription(origin));
    } catch (ConfigException e) {
      return null;
    }
    if (parsed.root().size() != 1 || !parsed.root().containsKey("v")) {
      return null;
    }
    if (!parsed.isResolved()) {
      return parsed.root().get("v"); // a substitution such as ${model.nx}, resolved after layering
    }
    ConfigValue v = parsed.root().get("v");
    String t = text.strip();
    if (v.valueType() == ConfigValueType.STRING && !t.startsWith("\"") && !t.equals(v.unwrapped())) {
      return null;
    }
    return v;
  }

  // ---------------------------------------------------------------------------------------------------------
  // unknown keys

  private static void checkKeys(ConfigObject given, ConfigObject known, String prefix) {
    List<String> unknown = new ArrayList<>();
    List<String> keys = new ArrayList<>(given.keySet());
    Collections.sort(keys);
    for (String k : keys) {
      String path = prefix.isEmpty() ? ConfigUtil.joinPath(k) : prefix + "." + ConfigUtil.joinPath(k);
      ConfigValue g = given.get(k);
      ConfigValue d = known.get(k);
      if (path.equals(CALIBRATE_SET)) {
        continue; // any experiment key: checkTwinKeys
      }
      if (d == null) {
        unknown.add(firstLeaf(g, path));
        continue;
      }
      if (prefix.isEmpty() && k.equals(VARS)) {
        if (g.valueType() != ConfigValueType.OBJECT) {
          throw new BadInputException("config key '" + VARS + "' must be a section { ... } of helper values for "
              + "substitutions, got " + describe(g) + where(g.origin()));
        }
        continue; // free keys, only used in substitutions
      }
      if (d.valueType() == ConfigValueType.OBJECT) {
        if (g.valueType() != ConfigValueType.OBJECT) {
          throw new BadInputException("config key '" + path + "' must be a section { ... } of keys such as '"
              + path + "." + ((ConfigObject) d).keySet().iterator().next() + "', got " + describe(g)
              + where(g.origin()));
        }
        checkKeys((ConfigObject) g, (ConfigObject) d, path);
      }
    }
    if (!unknown.isEmpty()) {
      String first = unknown.get(0);
      String msg = "unknown config key '" + first + "'" + where(valueAt(given, first, prefix).origin());
      String near = first.startsWith(CALIBRATE_SET + ".") ? nearestTwinKey(first) : nearestKey(first);
      if (near != null) {
        msg += "; did you mean '" + near + "'?";
      }
      if (first.startsWith("spark.")) {
        msg += " (Spark properties go in conf/spark-defaults.conf)";
      }
      if (unknown.size() > 1) {
        msg += " (" + (unknown.size() - 1) + " more unknown: " + String.join(", ",
            unknown.subList(1, Math.min(unknown.size(), 4))) + (unknown.size() > 4 ? ", ..." : "") + ")";
      }
      throw new BadInputException(msg);
    }
  }

  /** The path of the first leaf below {@code v} (itself if not a section), for messages. */
  private static String firstLeaf(ConfigValue v, String path) {
    if (v.valueType() == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
      ConfigObject o = (ConfigObject) v;
      String k = new TreeSet<>(o.keySet()).first();
      return firstLeaf(o.get(k), path + "." + ConfigUtil.joinPath(k));
    }
    return path;
  }

  private static ConfigValue valueAt(ConfigObject obj, String path, String prefix) {
    String rel = prefix.isEmpty() ? path : path.substring(prefix.length() + 1);
    ConfigValue v = obj;
    for (String k : ConfigUtil.splitPath(rel)) {
      if (v.valueType() != ConfigValueType.OBJECT || !((ConfigObject) v).containsKey(k)) {
        break;
      }
      v = ((ConfigObject) v).get(k);
    }
    return v;
  }

  /** Every key of the defaults, sections and leaves, as paths. */
  public static List<String> knownKeys() {
    List<String> out = new ArrayList<>();
    collect(parseDefaults().root(), "", out);
    return out;
  }

  private static void collect(ConfigObject o, String prefix, List<String> out) {
    for (String k : new TreeSet<>(o.keySet())) {
      String path = prefix.isEmpty() ? k : prefix + "." + k;
      out.add(path);
      ConfigValue v = o.get(k);
      if (v.valueType() == ConfigValueType.OBJECT) {
        collect((ConfigObject) v, path, out);
      }
    }
  }

  /** The known key nearest to {@code key} by edit distance, or null if none is reasonably near. */
  static String nearestKey(String key) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    String lower = key.toLowerCase(Locale.ROOT);
    for (String k : knownKeys()) {
      int d = editDistance(lower, k);
      // the right key in the wrong section (or without its section) counts as one edit away; our keys have at
      // most two segments, so a deeper key (spark.executor.memory) is something else
      String last = lower.substring(lower.lastIndexOf('.') + 1);
      boolean shallow = lower.indexOf('.') == lower.lastIndexOf('.');
      if (shallow && (k.endsWith("." + last) || k.equals(last))) {
        d = Math.min(d, 1);
      }
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return bestD <= Math.max(2, key.length() / 3) ? best : null;
  }

  /** Levenshtein distance. */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  // ---------------------------------------------------------------------------------------------------------
  // calibrate (issue 16): calibrate.set holds the settings of every twin, any experiment key

  /** The section of per-twin settings. */
  public static final String CALIBRATE_SET = "calibrate.set";

  /** Top-level keys that apply to a whole calibration, never to one twin. */
  private static final List<String> NOT_PER_TWIN = List.of("seed", "spark", "debug", "calibrate", "reference");

  /**
   * Loads a calibration's configuration: the whole configuration (as {@link #load}), the {@code calibrate.*}
   * section, and the settings of every twin — {@code calibrate.set} over the rest, read and validated like any
   * configuration.
   *
   * @throws BadInputException naming the key and what was expected
   */
  public static CalibrationSettings loadCalibration(Path configFile, List<String> sets, Consumer<String> warnings) {
    Config merged = merged(configFile, sets, warnings);
    Vi4dvarSettings all = read(merged);
    Reader r = new Reader(merged);
    CalibrateSettings cal;
    try {
      cal = new CalibrateSettings(r.integer("calibrate.twins-per-task"), r.number("calibrate.task-seconds"),
          r.number("calibrate.confidence"), r.number("calibrate.max-hours"));
    } catch (ConfigError e) {
      throw new BadInputException(e.getMessage() + r.whereOf(e.key()), e);
    }
    Config set = merged.getConfig(CALIBRATE_SET);
    Vi4dvarSettings twin;
    try {
      twin = read(set.withFallback(merged));
    } catch (BadInputException e) {
      throw new BadInputException(CALIBRATE_SET + " (the settings of every twin): " + e.getMessage(), e);
    }
    return new CalibrationSettings(all, twin, cal, sortedTree(set.root().unwrapped()));
  }

  /** Checks {@code calibrate.set}: a section of experiment keys, none that applies to the whole calibration. */
  private static void checkTwinKeys(Config merged, Config defaults) {
    if (!merged.hasPathOrNull(CALIBRATE_SET)) {
      return;
    }
    ConfigValue v = merged.getIsNull(CALIBRATE_SET) ? null : merged.getValue(CALIBRATE_SET);
    if (v == null || v.valueType() != ConfigValueType.OBJECT) {
      throw new BadInputException("config key '" + CALIBRATE_SET + "' must be a section { ... } of experiment keys "
          + "such as 'abc.trials', got " + (v == null ? "null" : describe(v) + where(v.origin())));
    }
    ConfigObject set = (ConfigObject) v;
    for (String k : new TreeSet<>(set.keySet())) {
      if (NOT_PER_TWIN.contains(k)) {
        String path = CALIBRATE_SET + "." + firstLeaf(set.get(k), k);
        throw new BadInputException("config key '" + path + "'" + where(set.get(k).origin()) + ": "
            + (k.equals("seed") ? "twin k's seed derives from the master seed (seed_k in twins.csv); set 'seed' "
            + "outside calibrate.set" : "'" + k + ".*' applies to the whole calibration, not to each twin; set it "
            + "outside calibrate.set"));
      }
    }
    ConfigObject known = defaults.root();
    for (String k : NOT_PER_TWIN) {
      known = known.withoutKey(k);
    }
    checkKeys(set, known, CALIBRATE_SET);
  }

  /** The nearest experiment key to an unknown {@code calibrate.set.<key>}, prefixed, or null. */
  private static String nearestTwinKey(String key) {
    String near = nearestKey(key.substring(CALIBRATE_SET.length() + 1));
    if (near == null || NOT_PER_TWIN.contains(near.split("\\.")[0])) {
      return null;
    }
    return CALIBRATE_SET + "." + near;
  }

  /** A HOCON tree as sorted maps (reproducible files). */
  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> sortedTree(java.util.Map<String, Object> m) {
    java.util.Map<String, Object> out = new java.util.TreeMap<>();
    for (java.util.Map.Entry<String, Object> e : m.entrySet()) {
      Object v = e.getValue();
      out.put(e.getKey(), v instanceof java.util.Map ? sortedTree((java.util.Map<String, Object>) v) : v);
    }
    return out;
  }

  /** A configuration tree (maps, lists, numbers, strings, booleans, nulls) as HOCON text. */
  public static String renderHocon(java.util.Map<String, Object> tree) {
    ConfigRenderOptions opts = ConfigRenderOptions.defaults().setOriginComments(false).setComments(false)
        .setJson(false).setFormatted(true);
    return ConfigValueFactory.fromMap(tree).render(opts);
  }

  // ---------------------------------------------------------------------------------------------------------
  // typed reading

  private static Vi4dvarSettings read(Config c) {
    Reader r = new Reader(c);
    try {
      long seed = r.longInt("seed");
      double[] forcingPrior = r.numberPair("model.forcing-prior", "[mean, std]");
      ModelSettings model = new ModelSettings(r.integer("model.nx"), r.number("model.forcing"),
          r.number("model.dt"), r.numberOrList("model.error-std"), r.stringList("model.estimate"),
          forcingPrior[0], forcingPrior[1]);
      WindowSettings window = new WindowSettings(r.integer("window.states"), r.integer("window.assimilated"));
      ObsSettings obs = new ObsSettings(r.nonlinearity("obs.nonlinearity"), r.integer("obs.pooling"),
          r.number("obs.drop"), r.integer("obs.time-stride"), r.range("obs.noise"));
      BackgroundSettings background = new BackgroundSettings(r.range("background.noise"),
          r.choice("background.correlation.model", org.vi4dvar.kernels.var.CorrelationModel.class),
          r.number("background.correlation.length"));
      TwinSettings twin = new TwinSettings(r.integer("twin.spinup"), r.number("twin.init-std"),
          r.optionalNumber("twin.forcing"));
      AbcSettings abc = new AbcSettings(r.longInt("abc.trials"), r.number("abc.keep"),
          r.optionalNumber("abc.threshold"), r.choice("abc.distance", AbcDistance.class),
          r.integer("abc.block-size"), r.integer("abc.prior-samples"), r.bool("abc.early-rejection"));
      EnsembleSettings ensemble = new EnsembleSettings(r.integer("ensemble.members"),
          r.choice("ensemble.start", StartPoint.class), r.integer("ensemble.max-iterations"));
      ViSettings vi = new ViSettings(r.choice("vi.family", VariationalFamily.class), r.integer("vi.iterations"),
          r.number("vi.lr"), r.integer("vi.samples-per-step"), r.integer("vi.elbo-samples"),
          r.integer("vi.restarts"), r.choice("vi.start", StartPoint.class), r.number("vi.init-std"),
          r.choice("vi.init-std-scale", InitScale.class), r.number("vi.jitter"),
          r.choice("vi.posterior", ViPosterior.class), r.choice("vi.schedule", LearningRateSchedule.Kind.class),
          r.integer("vi.warmup"), r.integer("vi.window"), r.bool("vi.average"), r.integer("vi.average-windows"),
          r.choice("vi.estimator", GradientEstimator.class), r.bool("vi.antithetic"),
          r.number("vi.plateau.factor"), r.integer("vi.plateau.levels"), r.number("vi.decay"),
          r.number("vi.lr-min"), r.integer("vi.flow.layers"), r.integer("vi.flow.hidden"), r.number("vi.flow.lr"),
          r.integer("vi.flow.warmup"), r.integer("vi.flow.window"), r.integer("vi.mixture.components"),
          r.choice("vi.mixture.family", VariationalFamily.class));
      MapSettings map = new MapSettings(r.integer("map.starts"), r.integer("map.max-iterations"),
          r.choice("map.hessian", HessianMethod.class));
      DebugSettings debug = new DebugSettings(r.bool("debug.fail-first-attempt"));
      MinimizerSettings minimizer = new MinimizerSettings(r.integer("minimizer.memory"),
          r.number("minimizer.gradient-tolerance"), r.number("minimizer.cost-tolerance"));
      PosteriorSettings posterior = new PosteriorSettings(r.integer("posterior.samples"),
          r.integer("posterior.rank-bins"), r.integer("posterior.task-memory"));
      OutputSettings output = new OutputSettings(r.covTimes("output.cov-times", window), r.integer("output.cov-points"),
          r.integerOrAll("output.trajectory-samples", OutputSettings.ALL), r.bool("output.report"));
      SparkSettings spark = new SparkSettings(r.optionalString("spark.master"), r.integer("spark.partitions"));
      List<String> methods = r.methods("methods");
      McmcSettings mcmc = new McmcSettings(r.integer("mcmc.chains"), r.integer("mcmc.warmup"),
          r.integer("mcmc.draws"), r.integer("mcmc.thin"), r.choice("mcmc.sampler", SamplerKind.class),
          r.number("mcmc.step-size"), r.number("mcmc.target-accept"), r.choice("mcmc.metric",
              MetricAdaptation.class), r.integer("mcmc.max-depth"));
      PsisSettings psis = new PsisSettings(r.integer("psis.draws"), r.methods("psis.methods"));
      ExperimentSettings experiment = new ExperimentSettings(seed, model, window, obs, background, twin, abc,
          ensemble, vi, map, minimizer, posterior, output, methods, mcmc, psis);
      String reference = r.optionalString("reference");
      if (reference != null && reference.isBlank()) {
        throw new BadInputException("config key 'reference' must be a directory or null, got an empty string"
            + r.whereOf("reference"));
      }
      return new Vi4dvarSettings(experiment, spark, debug, reference);
    } catch (ConfigError e) {
      if (e.statement() == null) {
        throw new BadInputException(e.getMessage() + r.whereOf(e.key()), e);
      }
      // a constraint between keys: blame the one the user set, not a default they never touched
      String culprit = e.key();
      for (String k : e.keys()) {
        if (r.userSet(k)) {
          culprit = k;
          break;
        }
      }
      List<String> others = new ArrayList<>();
      for (String k : e.keys()) {
        if (!k.equals(culprit)) {
          others.add(k + r.whereOf(k));
        }
      }
      throw new BadInputException("config key '" + culprit + "'" + r.whereOf(culprit) + ": " + e.statement()
          + (others.isEmpty() ? "" : " [" + String.join(", ", others) + "]"), e);
    }
  }

  /** Typed access with one-line errors naming the key and the origin of the value. */
  private static final class Reader {
    private final Config c;

    Reader(Config c) {
      this.c = c;
    }

    /** Whether {@code key} was given by the user (a file or --set), not only by the defaults. */
    boolean userSet(String key) {
      try {
        if (!c.hasPathOrNull(key)) {
          return false;
        }
        ConfigOrigin o = c.getValue(key).origin();
        return o != null && o.resource() == null && (o.filename() != null || (o.description() != null
            && o.description().startsWith(SET_ORIGIN)));
      } catch (ConfigException e) {
        return false;
      }
    }

    String whereOf(String key) {
      try {
        if (c.hasPathOrNull(key)) {
          // through the objects, not getValue: that refuses a null value, whose origin is wanted too
          ConfigValue v = c.root();
          for (String part : com.typesafe.config.ConfigUtil.splitPath(key)) {
            v = ((ConfigObject) v).get(part);
          }
          return where(v.origin());
        }
      } catch (ConfigException | ClassCastException e) {
        // an intermediate is not an object; no origin to add
      }
      return "";
    }

    private ConfigValue value(String key) {
      if (!c.hasPathOrNull(key)) {
        throw new BadInputException("config key '" + key + "' is missing");
      }
      if (c.getIsNull(key)) {
        throw new BadInputException("config key '" + key + "' must be given, got null" + whereOf(key));
      }
      return c.getValue(key);
    }

    /** A wrong element of the list {@code key}: what was expected, what was found, and where. */
    private BadInputException wrongElement(String key, String expected, ConfigValue e) {
      return new BadInputException("config key '" + key + "' must be " + expected + ", got " + describe(e)
          + " in the list" + where(e.origin()));
    }

    private BadInputException wrongType(String key, String expected, ConfigValue v) {
      String hint = "";
      if (v.valueType() == ConfigValueType.STRING
          && ARITHMETIC.matcher(((String) v.unwrapped()).strip()).matches()) {
        hint = "; arithmetic is not evaluated: write the number itself";
      }
      return new BadInputException("config key '" + key + "' must be " + expected + ", got " + describe(v)
          + where(v.origin()) + hint);
    }

    double number(String key) {
      ConfigValue v = value(key);
      if (v.valueType() != ConfigValueType.NUMBER) {
        throw wrongType(key, "a number", v);
      }
      return ((Number) v.unwrapped()).doubleValue();
    }

    Double optionalNumber(String key) {
      if (c.hasPathOrNull(key) && c.getIsNull(key)) {
        return null;
      }
      ConfigValue v = value(key);
      if (v.valueType() != ConfigValueType.NUMBER) {
        throw wrongType(key, "a number or null", v);
      }
      return ((Number) v.unwrapped()).doubleValue();
    }

    long longInt(String key) {
      ConfigValue v = value(key);
      Long x = integral(v);
      if (x == null) {
        throw wrongType(key, "an integer" + (isIntegerOutOfRange(v) ? " in the range of a 64-bit long ("
            + Long.MIN_VALUE + " .. " + Long.MAX_VALUE + ")" : ""), v);
      }
      return x;
    }

    int integer(String key) {
      ConfigValue v = value(key);
      Long x = integral(v);
      if (x == null) {
        throw wrongType(key, "an integer", v);
      }
      // (the key's own range is checked with its settings; a 32-bit key cannot even hold this value)
      if (x > Integer.MAX_VALUE) {
        throw wrongType(key, "an integer of at most " + Integer.MAX_VALUE + " (a 32-bit key)", v);
      }
      if (x < Integer.MIN_VALUE) {
        throw wrongType(key, "an integer of at least " + Integer.MIN_VALUE + " (a 32-bit key)", v);
      }
      return (int) (long) x;
    }

    /**
     * The exact integer a number value holds, from its text ({@code 1e15}, {@code 100000}, {@code 2.0E9}), or
     * null if it is not an integer in the long range.
     */
    private static Long integral(ConfigValue v) {
      java.math.BigDecimal b = exact(v);
      if (b == null) {
        return null;
      }
      try {
        return b.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }

    /**
     * Whether {@code v} is an integer (exactly) that does not fit a long; HOCON reads digits beyond the long
     * range as a string.
     */
    private static boolean isIntegerOutOfRange(ConfigValue v) {
      if (v.valueType() == ConfigValueType.STRING) {
        return ((String) v.unwrapped()).strip().matches("[+-]?\\d+");
      }
      java.math.BigDecimal b = exact(v);
      return b != null && integral(v) == null;
    }

    /** The exact value of a number as written (null if not a number or not an integer). */
    private static java.math.BigDecimal exact(ConfigValue v) {
      if (v.valueType() != ConfigValueType.NUMBER) {
        return null;
      }
      Object n = v.unwrapped();
      if (n instanceof Integer || n instanceof Long) {
        return java.math.BigDecimal.valueOf(((Number) n).longValue());
      }
      java.math.BigDecimal b;
      try {
        b = new java.math.BigDecimal(v.render().strip());
      } catch (NumberFormatException e) {
        double d = ((Number) n).doubleValue();
        if (!Double.isFinite(d)) {
          return null;
        }
        b = new java.math.BigDecimal(d);
      }
      try {
        return b.stripTrailingZeros().scale() <= 0 ? b.setScale(0, java.math.RoundingMode.UNNECESSARY) : null;
      } catch (ArithmeticException e) {
        return null;
      }
    }

    /** An integer, or the word {@code all} (which gives {@code all}). */
    int integerOrAll(String key, int all) {
      ConfigValue v = value(key);
      if (v.valueType() == ConfigValueType.STRING && "all".equalsIgnoreCase(((String) v.unwrapped()).trim())) {
        return all;
      }
      if (v.valueType() != ConfigValueType.NUMBER) {
        throw wrongType(key, "an integer or all", v);
      }
      return integer(key);
    }

    String string(String key) {
      ConfigValue v = value(key);
      if (v.valueType() != ConfigValueType.STRING) {
        throw wrongType(key, "a string", v);
      }
      return (String) v.unwrapped();
    }

    String optionalString(String key) {
      if (c.hasPathOrNull(key) && c.getIsNull(key)) {
        return null;
      }
      return string(key);
    }

    /** An enum constant by its configuration name ({@link ConfigChoice}, case-insensitive). */
    <E extends Enum<E> & ConfigChoice> E choice(String key, Class<E> type) {
      ConfigValue v = value(key);
      String expected = "one of " + ConfigChoice.names(type);
      if (v.valueType() != ConfigValueType.STRING) {
        throw wrongType(key, expected, v);
      }
      E e = ConfigChoice.parse(type, (String) v.unwrapped());
      if (e == null) {
        throw wrongType(key, expected, v);
      }
      return e;
    }

    boolean bool(String key) {
      ConfigValue v = value(key);
      if (v.valueType() != ConfigValueType.BOOLEAN) {
        throw wrongType(key, "true or false", v);
      }
      return (Boolean) v.unwrapped();
    }

    Nonlinearity nonlinearity(String key) {
      ConfigValue v = value(key);
      List<String> names = new ArrayList<>();
      for (Nonlinearity h : Nonlinearity.values()) {
        names.add(h.configName());
      }
      if (v.valueType() != ConfigValueType.STRING) {
        throw wrongType(key, "one of " + String.join(", ", names), v);
      }
      try {
        return Nonlinearity.parse((String) v.unwrapped());
      } catch (IllegalArgumentException e) {
        throw wrongType(key, "one of " + String.join(", ", names), v);
      }
    }

    NoiseRange range(String key) {
      ConfigValue v = value(key);
      String expected = "a list [min, max] of two numbers";
      if (v.valueType() != ConfigValueType.LIST) {
        throw wrongType(key, expected, v);
      }
      ConfigList l = (ConfigList) v;
      if (l.size() != 2 || l.get(0).valueType() != ConfigValueType.NUMBER
          || l.get(1).valueType() != ConfigValueType.NUMBER) {
        throw wrongType(key, expected, v);
      }
      return new NoiseRange(key, ((Number) l.get(0).unwrapped()).doubleValue(),
          ((Number) l.get(1).unwrapped()).doubleValue());
    }

    /** A list of exactly two numbers, e.g. {@code [mean, std]}. */
    double[] numberPair(String key, String what) {
      ConfigValue v = value(key);
      String expected = "a list " + what + " of two numbers";
      if (v.valueType() != ConfigValueType.LIST) {
        throw wrongType(key, expected, v);
      }
      ConfigList l = (ConfigList) v;
      if (l.size() != 2 || l.get(0).valueType() != ConfigValueType.NUMBER
          || l.get(1).valueType() != ConfigValueType.NUMBER) {
        throw wrongType(key, expected, v);
      }
      return new double[] {((Number) l.get(0).unwrapped()).doubleValue(),
          ((Number) l.get(1).unwrapped()).doubleValue()};
    }

    /** One number (a list of one) or a list of numbers. */
    List<Double> numberOrList(String key) {
      ConfigValue v = value(key);
      String expected = "a number or a list of numbers";
      List<Double> out = new ArrayList<>();
      if (v.valueType() == ConfigValueType.NUMBER) {
        out.add(((Number) v.unwrapped()).doubleValue());
        return out;
      }
      if (v.valueType() != ConfigValueType.LIST) {
        throw wrongType(key, expected, v);
      }
      for (ConfigValue e : (ConfigList) v) {
        if (e.valueType() != ConfigValueType.NUMBER) {
          throw wrongElement(key, expected, e);
        }
        out.add(((Number) e.unwrapped()).doubleValue());
      }
      return out;
    }

    /** A list of strings (names). */
    List<String> stringList(String key) {
      ConfigValue v = value(key);
      String expected = "a list of names, e.g. [forcing], or []";
      if (v.valueType() != ConfigValueType.LIST) {
        throw wrongType(key, expected, v);
      }
      List<String> out = new ArrayList<>();
      for (ConfigValue e : (ConfigList) v) {
        if (e.valueType() != ConfigValueType.STRING) {
          throw wrongElement(key, expected, e);
        }
        out.add(((String) e.unwrapped()).trim());
      }
      return out;
    }

    List<Integer> covTimes(String key, WindowSettings w) {
      ConfigValue v = value(key);
      String expected = "a list of states: integers in [0, window.states) or first, last-assimilated, last";
      if (v.valueType() != ConfigValueType.LIST) {
        throw wrongType(key, expected, v);
      }
      TreeSet<Integer> times = new TreeSet<>();
      List<String> given = new ArrayList<>();
      for (ConfigValue e : (ConfigList) v) {
        // the same entry twice is a mistake (a typo of another state?); different names of one state (last and
        // last-assimilated when the window has no forecast) are written once
        String text = e.valueType() == ConfigValueType.STRING
            ? ((String) e.unwrapped()).trim().toLowerCase(Locale.ROOT) : e.render();
        if (given.contains(text)) {
          throw new BadInputException("config key '" + key + "' names " + text + " twice" + where(e.origin()));
        }
        given.add(text);
        if (e.valueType() == ConfigValueType.STRING) {
          String s = ((String) e.unwrapped()).trim().toLowerCase(Locale.ROOT);
          switch (s) {
            case "first":
              times.add(0);
              break;
            case "last-assimilated":
              times.add(w.assimilated() - 1);
              break;
            case "last":
              times.add(w.states() - 1);
              break;
            default:
              throw wrongElement(key, expected, e);
          }
        } else {
          Long t = integral(e);
          if (t == null || t < Integer.MIN_VALUE || t > Integer.MAX_VALUE) {
            throw wrongElement(key, expected, e);
          }
          times.add((int) (long) t);
        }
      }
      return new ArrayList<>(times);
    }

    List<String> methods(String key) {
      ConfigValue v = value(key);
      String expected = "a list of methods, e.g. [map, abc, ensemble, vi]";
      if (v.valueType() != ConfigValueType.LIST) {
        throw wrongType(key, expected, v);
      }
      List<String> out = new ArrayList<>();
      for (ConfigValue e : (ConfigList) v) {
        String m = e.valueType() == ConfigValueType.STRING ? parseMethod((String) e.unwrapped()) : null;
        if (m == null) {
          throw wrongElement(key, expected, e);
        }
        out.add(m);
      }
      return out;
    }
  }

  /** A method by its name (case-insensitive; {@link MethodRegistry}), or null. */
  public static String parseMethod(String name) {
    for (String m : MethodRegistry.names()) {
      if (m.equalsIgnoreCase(name.trim())) {
        return m;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------
  // messages

  private static String describe(ConfigValue v) {
    switch (v.valueType()) {
      case STRING:
        return "'" + shorten((String) v.unwrapped()) + "' (a string)";
      case NUMBER:
        return String.valueOf(v.unwrapped());
      case BOOLEAN:
        return v.unwrapped() + " (a boolean)";
      case NULL:
        return "null";
      case LIST:
        return shorten(v.render(ConfigRenderOptions.concise())) + " (a list)";
      case OBJECT:
        return shorten(v.render(ConfigRenderOptions.concise())) + " (a section)";
      default:
        return shorten(v.render(ConfigRenderOptions.concise()));
    }
  }

  private static String lineOf(ConfigException e) {
    return e.origin() != null && e.origin().lineNumber() > 0 ? " line " + e.origin().lineNumber() : "";
  }

  /** The message of a Typesafe Config exception without its origin prefix, on one line. */
  private static String withoutOrigin(ConfigException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (e.origin() != null) {
      String prefix = e.origin().description() + ": ";
      if (m.startsWith(prefix)) {
        m = m.substring(prefix.length());
      }
    }
    m = oneLine(m);
    return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
  }

  /** {@code " (file.conf:12)"}, {@code " (--set key=value)"}, {@code " (defaults)"} or {@code ""}. */
  static String where(ConfigOrigin o) {
    if (o == null) {
      return "";
    }
    String d = o.description();
    if (d != null && d.startsWith(SET_ORIGIN)) {
      return " (" + oneLine(d.replaceFirst(": \\d+$", "")) + ")";
    }
    if (o.resource() != null) {
      return " (defaults)";
    }
    if (o.filename() != null) {
      return " (" + o.filename() + (o.lineNumber() > 0 ? ":" + o.lineNumber() : "") + ")";
    }
    return "";
  }

  private static String shorten(String s) {
    String t = oneLine(s);
    return t.length() > 60 ? t.substring(0, 57) + "..." : t;
  }

  /** The text on one line: line breaks and other control characters become spaces. */
  public static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      b.append(Character.isISOControl(ch) ? ' ' : ch);
    }
    return b.toString().trim();
  }
}
