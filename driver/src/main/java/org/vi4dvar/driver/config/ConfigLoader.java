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
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.kernels.obs.Nonlinearity;

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
    Config defaults = parseDefaults();
    Config merged = defaults;
    if (configFile != null) {
      merged = parseFile(configFile).withFallback(merged);
    }
    for (String s : sets) {
      merged = parseSet(s).withFallback(merged);
    }
    try {
      merged = merged.resolve(ConfigResolveOptions.noSystem());
    } catch (ConfigException e) {
      throw new BadInputException("configuration" + where(e.origin()) + ": " + withoutOrigin(e), e);
    }
    checkKeys(merged.root(), defaults.root(), "");
    return read(merged);
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

  private static Config parseFile(Path f) {
    if (!Files.exists(f)) {
      throw new BadInputException("config file '" + f + "' not found");
    }
    if (Files.isDirectory(f)) {
      throw new BadInputException("config file '" + f + "' is a directory, expected a HOCON file");
    }
    if (!Files.isReadable(f)) {
      throw new BadInputException("config file '" + f + "' is not readable (permission denied)");
    }
    try {
      return ConfigFactory.parseFile(f.toFile(),
          ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
    } catch (ConfigException e) {
      throw new BadInputException("config file '" + f + "'" + lineOf(e) + ": " + withoutOrigin(e), e);
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
      if (d == null) {
        unknown.add(firstLeaf(g, path));
        continue;
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
      String near = nearestKey(first);
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
  // typed reading

  private static Vi4dvarSettings read(Config c) {
    Reader r = new Reader(c);
    try {
      long seed = r.longInt("seed");
      ModelSettings model = new ModelSettings(r.integer("model.nx"), r.number("model.forcing"),
          r.number("model.dt"));
      WindowSettings window = new WindowSettings(r.integer("window.states"), r.integer("window.assimilated"));
      ObsSettings obs = new ObsSettings(r.nonlinearity("obs.nonlinearity"), r.integer("obs.pooling"),
          r.number("obs.drop"), r.integer("obs.time-stride"), r.range("obs.noise"));
      BackgroundSettings background = new BackgroundSettings(r.range("background.noise"));
      TwinSettings twin = new TwinSettings(r.integer("twin.spinup"), r.number("twin.init-std"));
      AbcSettings abc = new AbcSettings(r.longInt("abc.trials"), r.number("abc.keep"),
          r.optionalNumber("abc.threshold"), r.choice("abc.distance", AbcDistance.class),
          r.integer("abc.block-size"), r.integer("abc.prior-samples"), r.bool("abc.early-rejection"));
      EnsembleSettings ensemble = new EnsembleSettings(r.integer("ensemble.members"),
          r.choice("ensemble.start", StartPoint.class), r.integer("ensemble.max-iterations"));
      ViSettings vi = new ViSettings(r.choice("vi.family", ViFamily.class), r.integer("vi.iterations"),
          r.number("vi.lr"), r.integer("vi.samples-per-step"), r.integer("vi.elbo-samples"),
          r.integer("vi.restarts"), r.choice("vi.start", StartPoint.class), r.number("vi.init-std"),
          r.choice("vi.init-std-scale", InitScale.class), r.number("vi.jitter"),
          r.choice("vi.posterior", ViPosterior.class));
      MapSettings map = new MapSettings(r.integer("map.starts"), r.integer("map.max-iterations"),
          r.choice("map.hessian", HessianChoice.class));
      DebugSettings debug = new DebugSettings(r.bool("debug.fail-first-attempt"));
      MinimizerSettings minimizer = new MinimizerSettings(r.integer("minimizer.memory"),
          r.number("minimizer.gradient-tolerance"), r.number("minimizer.cost-tolerance"));
      PosteriorSettings posterior = new PosteriorSettings(r.integer("posterior.samples"));
      OutputSettings output = new OutputSettings(r.covTimes("output.cov-times", window),
          r.integer("output.trajectory-samples"), r.bool("output.report"));
      SparkSettings spark = new SparkSettings(r.optionalString("spark.master"), r.integer("spark.partitions"));
      List<Method> methods = r.methods("methods");
      return new Vi4dvarSettings(seed, model, window, obs, background, twin, abc, ensemble, vi, map, minimizer,
          posterior, output, spark, debug, methods);
    } catch (ConfigValueException e) {
      throw new BadInputException(e.getMessage() + r.whereOf(e.key()), e);
    }
  }

  /** Typed access with one-line errors naming the key and the origin of the value. */
  private static final class Reader {
    private final Config c;

    Reader(Config c) {
      this.c = c;
    }

    String whereOf(String key) {
      try {
        if (c.hasPathOrNull(key)) {
          return where(c.getValue(key).origin());
        }
      } catch (ConfigException e) {
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

    private BadInputException wrongType(String key, String expected, ConfigValue v) {
      return new BadInputException("config key '" + key + "' must be " + expected + ", got " + describe(v)
          + where(v.origin()));
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
        throw wrongType(key, "an integer", v);
      }
      return x;
    }

    int integer(String key) {
      ConfigValue v = value(key);
      Long x = integral(v);
      if (x == null) {
        throw wrongType(key, "an integer", v);
      }
      if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
        throw wrongType(key, "an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE, v);
      }
      return (int) (long) x;
    }

    private static Long integral(ConfigValue v) {
      if (v.valueType() != ConfigValueType.NUMBER) {
        return null;
      }
      Object n = v.unwrapped();
      if (n instanceof Integer || n instanceof Long) {
        return ((Number) n).longValue();
      }
      double d = ((Number) n).doubleValue();
      if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) <= 9.007199254740992E15) {
        return (long) d;
      }
      return null;
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

    /** An enum constant by its configuration name: lower case, '-' for '_' (e.g. finite-difference). */
    <E extends Enum<E>> E choice(String key, Class<E> type) {
      ConfigValue v = value(key);
      List<String> names = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        names.add(choiceName(e));
      }
      String expected = "one of " + String.join(", ", names);
      if (v.valueType() != ConfigValueType.STRING) {
        throw wrongType(key, expected, v);
      }
      String s = ((String) v.unwrapped()).trim();
      for (E e : type.getEnumConstants()) {
        if (choiceName(e).equalsIgnoreCase(s) || e.name().equalsIgnoreCase(s)) {
          return e;
        }
      }
      throw wrongType(key, expected, v);
    }

    private static String choiceName(Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
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

    List<Integer> covTimes(String key, WindowSettings w) {
      ConfigValue v = value(key);
      String expected = "a list of states: integers in [0, window.states) or first, last-assimilated, last";
      if (v.valueType() != ConfigValueType.LIST) {
        throw wrongType(key, expected, v);
      }
      TreeSet<Integer> times = new TreeSet<>();
      for (ConfigValue e : (ConfigList) v) {
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
              throw new BadInputException("config key '" + key + "' must be " + expected + ", got "
                  + describe(e) + " in the list" + where(e.origin()));
          }
        } else {
          Long t = integral(e);
          if (t == null || t < Integer.MIN_VALUE || t > Integer.MAX_VALUE) {
            throw new BadInputException("config key '" + key + "' must be " + expected + ", got "
                + describe(e) + " in the list" + where(e.origin()));
          }
          times.add((int) (long) t);
        }
      }
      return new ArrayList<>(times);
    }

    List<Method> methods(String key) {
      ConfigValue v = value(key);
      String expected = "a list of methods, e.g. [map, abc, ensemble, vi]";
      if (v.valueType() != ConfigValueType.LIST) {
        throw wrongType(key, expected, v);
      }
      List<Method> out = new ArrayList<>();
      for (ConfigValue e : (ConfigList) v) {
        Method m = e.valueType() == ConfigValueType.STRING ? parseMethod((String) e.unwrapped()) : null;
        if (m == null) {
          throw new BadInputException("config key '" + key + "' must be " + expected + ", got " + describe(e)
              + " in the list" + where(e.origin()));
        }
        out.add(m);
      }
      return out;
    }
  }

  /** A method by its configuration name (case-insensitive), or null. */
  public static Method parseMethod(String name) {
    for (Method m : Method.values()) {
      if (m.configName().equalsIgnoreCase(name.trim())) {
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
    if (o.filename() != null) {
      return " (" + o.filename() + (o.lineNumber() > 0 ? ":" + o.lineNumber() : "") + ")";
    }
    if (o.resource() != null) {
      return " (defaults)";
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
