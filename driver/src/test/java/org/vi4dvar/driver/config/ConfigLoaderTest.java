package org.vi4dvar.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.BadInputException;
import org.vi4dvar.driver.testing.TestData;
import org.vi4dvar.kernels.config.ConfigError;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.config.InitScale;
import org.vi4dvar.kernels.config.ModelSettings;
import org.vi4dvar.kernels.config.StartPoint;
import org.vi4dvar.kernels.config.ViPosterior;
import org.vi4dvar.kernels.config.ViSettings;
import org.vi4dvar.kernels.config.WindowSettings;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.testing.Settings;
import org.vi4dvar.kernels.twin.TwinConfig;

class ConfigLoaderTest {

  @TempDir
  Path tmp;

  @Test
  void defaultsAreTheTalksExperiment() {
    ExperimentSettings s = ConfigLoader.defaults().experiment();
    assertEquals(16, s.model().nx());
    assertEquals(8.0, s.model().forcing());
    assertEquals(0.1, s.model().dt());
    assertEquals(16, s.window().states());
    assertEquals(12, s.window().assimilated());
    assertEquals(Nonlinearity.SQUARE, s.obs().nonlinearity());
    assertEquals(0.5, s.obs().drop());
    assertEquals(0.05, s.obs().noise().min());
    assertEquals(0.10, s.obs().noise().max());
    assertEquals(0.10, s.background().noise().min());
    assertEquals(0.20, s.background().noise().max());
    assertEquals(100_000, s.abc().trials());
    assertEquals(100, s.abc().kept());
    assertNull(s.abc().threshold());
    assertEquals(100, s.ensemble().members());
    assertEquals(20000, s.vi().iterations());
    assertEquals(0.05, s.vi().lr());
    assertEquals(org.vi4dvar.kernels.vi.VariationalFamily.MEAN_FIELD, s.vi().family());
    assertEquals(1000, s.posterior().samples());
    assertEquals(List.of(0, 11, 15), s.output().covTimes());
    assertNull(ConfigLoader.defaults().spark().master());
    assertEquals(List.of("map", "abc", "ensemble", "vi"), s.methods());
  }

  /**
   * Every {@code --set KEY=VALUE} the launch scripts pass themselves (the local launcher's class-data training
   * run, the local-cluster check's reduced run) is a valid configuration: a cross-key rule added later (e.g.
   * {@code vi.window <= vi.iterations}) once made the training run fail silently, and local starts lost their
   * class-data archive.
   */
  @Test
  void theScriptsOwnSettingsAreValid() throws IOException {
    Path submit = Path.of(System.getProperty("vi4dvar.root", "..")).resolve("submit");
    Pattern set = Pattern.compile("--set\\s+([a-z][a-z0-9.\\-]*=[^\\s)\\\\]+)");
    int checked = 0;
    try (Stream<Path> scripts = Files.list(submit)) {
      for (Path script : scripts.filter(f -> f.toString().endsWith(".sh")).sorted().toList()) {
        List<String> sets = new ArrayList<>();
        for (String line : Files.readAllLines(script)) {
          if (line.stripLeading().startsWith("#")) {
            continue;
          }
          Matcher m = set.matcher(line);
          while (m.find()) {
            sets.add(m.group(1));
          }
        }
        if (!sets.isEmpty()) {
          ConfigLoader.load(null, sets);
          checked++;
        }
      }
    }
    assertTrue(checked >= 2, "expected the --set lines of local.sh and cluster-local.sh, found " + checked);
  }

  @Test
  void theKernelTestSettingsAreTheDefaults() {
    assertEquals(ConfigLoader.defaults().experiment(), Settings.talk().build());
  }

  @Test
  void talkConfigFileEqualsTheDefaults() {
    assertEquals(ConfigLoader.defaults(), ConfigLoader.load(TestData.talkConf(), List.of()));
  }

  @Test
  void twinConfigOfTheDefaultsIsTheKernelsTalkRecipe() {
    ExperimentSettings s = ConfigLoader.defaults().experiment();
    assertEquals(TwinConfig.talk(s.seed()), s.toTwinConfig());
  }

  @Test
  void setOverridesTheFileWhichOverridesTheDefaults() throws IOException {
    Path f = tmp.resolve("c.conf");
    Files.writeString(f, "model { nx = 40 }\nvi.family = fullrank\nseed = 7\n");
    ExperimentSettings s = ConfigLoader.load(f, List.of("seed=9", "obs.noise=[0.01, 0.02]", "seed=11")).experiment();
    assertEquals(40, s.model().nx());
    assertEquals(8.0, s.model().forcing());
    assertEquals(org.vi4dvar.kernels.vi.VariationalFamily.FULL_RANK, s.vi().family());
    assertEquals(11, s.seed());
    assertEquals(0.01, s.obs().noise().min());
  }

  @Test
  void setValuesAreHoconWithPlainTextForMasterUrls() {
    Vi4dvarSettings all = ConfigLoader.load(null, List.of("spark.master=local[2]", "abc.trials=1e8",
        "abc.threshold=12.5", "methods=[vi, abc]", "output.cov-times=[last, 3, first]", "model.nx=${window.states}",
        "window.states=20"));
    ExperimentSettings s = all.experiment();
    assertEquals("local[2]", all.spark().master());
    assertEquals(100_000_000L, s.abc().trials());
    assertEquals(12.5, s.abc().threshold());
    assertEquals(List.of("vi", "abc"), s.methods());
    assertEquals(List.of(0, 3, 19), s.output().covTimes());
    assertEquals(20, s.model().nx());
    assertEquals("spark://127.0.0.1:7077",
        ConfigLoader.load(null, List.of("spark.master=spark://127.0.0.1:7077")).spark().master());
    assertEquals("k8s://https://10.0.0.1:6443",
        ConfigLoader.load(null, List.of("spark.master=\"k8s://https://10.0.0.1:6443\"")).spark().master());
  }

  @Test
  void renderedHoconLoadsBackToTheSameSettings() throws IOException {
    Vi4dvarSettings s = ConfigLoader.load(null, List.of("seed=123456789012", "model.dt=0.05",
        "obs.noise=[0.0123456789, 0.1]", "abc.threshold=3.25", "spark.master=local[3]", "methods=[abc]",
        "vi.lr=1e-3"));
    Path f = tmp.resolve("effective.conf");
    Files.writeString(f, ConfigLoader.renderHocon(s));
    assertEquals(s, ConfigLoader.load(f, List.of()));
  }

  @Test
  void nearestKeyByEditDistance() {
    assertEquals("vi.iterations", ConfigLoader.nearestKey("vi.iteratons"));
    assertEquals("abc.keep", ConfigLoader.nearestKey("abc.kep"));
    assertEquals("obs.time-stride", ConfigLoader.nearestKey("obs.timestride"));
    assertEquals("ensemble.members", ConfigLoader.nearestKey("members"));
    assertEquals("model.nx", ConfigLoader.nearestKey("model.NX"));
    assertEquals("ensemble.members", ConfigLoader.nearestKey("vi.members"));
    assertNull(ConfigLoader.nearestKey("spark.executor.memory"), "no far-fetched suggestion");
    assertEquals(3, ConfigLoader.editDistance("kitten", "sitting"));
  }

  @Test
  void everyDefaultKeyIsDocumentedByAComment() throws IOException {
    List<String> lines;
    try (var in = ConfigLoader.class.getClassLoader().getResourceAsStream(ConfigLoader.DEFAULTS_RESOURCE)) {
      lines = List.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n"));
    }
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.contains("=") && !l.startsWith("#")) {
        assertTrue(i > 0 && lines.get(i - 1).strip().startsWith("#"), "undocumented key: " + l);
      }
    }
  }

  @Test
  void recordsValidateWhenBuiltDirectly() {
    ConfigError e = assertThrows(ConfigError.class, () -> new ModelSettings(3, 8, 0.1));
    assertEquals("model.nx", e.key());
    assertThrows(ConfigError.class, () -> new WindowSettings(4, 5));
    ViSettings v = Settings.vi(org.vi4dvar.kernels.vi.VariationalFamily.MEAN_FIELD, 1000, 1, 2, 1);
    assertThrows(ConfigError.class, () -> new ViSettings(v.family(), v.iterations(), Double.NaN,
        v.samplesPerStep(), v.elboSamples(), v.restarts(), v.start(), v.initStd(), v.initStdScale(), v.jitter(),
        v.posterior(), v.schedule(), v.warmup(), v.window(), v.average(), v.averageWindows(), v.estimator(),
        v.antithetic(), v.plateauFactor(), v.plateauLevels(), v.decay(), v.lrMin(), v.flowLayers(),
        v.flowHidden(), v.flowLr(), v.flowWarmup(), v.flowWindow(), v.mixtureComponents(), v.mixtureFamily()));
    assertThrows(ConfigError.class, () -> new SparkSettings("local[x]", 0));
    Vi4dvarSettings s = ConfigLoader.defaults();
    assertThrows(ConfigError.class, () -> s.withMethods(List.of()));
    assertThrows(ConfigError.class, () -> s.withMethods(List.of("abc", "abc")));
    assertThrows(ConfigError.class, () -> s.withMethods(List.of("nonsense")));
  }

  @Test
  void badInputMessagesAreOneLine() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> ConfigLoader.load(null, List.of("model.nx=\"a\\nb\"")));
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }

  // ---- issue 10 item 13 -------------------------------------------------------------------------------------

  private Path conf(String name, String text) throws IOException {
    return Files.writeString(tmp.resolve(name), text);
  }

  @Test
  void aMissingIncludeIsAWarningNamingIt() throws IOException {
    Path f = conf("a.conf", "include \"missing.conf\"\nseed = 3\n");
    List<String> warnings = new java.util.ArrayList<>();
    assertEquals(3, ConfigLoader.load(f, List.of(), warnings::add).seed());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("include \"missing.conf\"") && warnings.get(0).contains("a.conf")
        && warnings.get(0).contains(tmp.resolve("missing.conf").toString()), warnings.get(0));
    // an include that is found gives no warning, and its keys count
    conf("b.conf", "model.nx = 20\n");
    Path g = conf("g.conf", "include \"b.conf\"\nseed = 4\n");
    warnings.clear();
    assertEquals(20, ConfigLoader.load(g, List.of(), warnings::add).experiment().model().nx());
    assertEquals(List.of(), warnings);
    // required: an error
    Path r = conf("r.conf", "include required(\"missing.conf\")\n");
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.load(r, List.of()));
    assertTrue(e.getMessage().contains("missing.conf"), e.getMessage());
  }

  @Test
  void anIncludeCycleIsOneShortLine() throws IOException {
    Path a = conf("a.conf", "include \"b.conf\"\nseed = 1\n");
    conf("b.conf", "include \"a.conf\"\n");
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.load(a, List.of()));
    assertTrue(e.getMessage().contains("include cycle a.conf → b.conf → a.conf"), e.getMessage());
    assertTrue(e.getMessage().length() < 300, e.getMessage().length() + ": " + e.getMessage());
    Path self = conf("self.conf", "include \"self.conf\"\n");
    assertThrows(BadInputException.class, () -> ConfigLoader.load(self, List.of()));
  }

  @Test
  void urlIncludesAreRefused() throws IOException {
    Path a = conf("u.conf", "include url(\"http://127.0.0.1:9/x.conf\")\n");
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.load(a, List.of()));
    assertTrue(e.getMessage().contains("include url"), e.getMessage());
  }

  @Test
  void varsHoldHelperValuesForSubstitutions() throws IOException {
    Path f = conf("v.conf", "vars { base = 20, half = 10 }\nmodel.nx = ${vars.base}\n"
        + "window { states = ${vars.base}, assimilated = ${vars.half} }\n");
    Vi4dvarSettings s = ConfigLoader.load(f, List.of("vars.base=24", "model.nx=${vars.base}"));
    assertEquals(24, s.experiment().model().nx());
    assertEquals(24, s.experiment().window().states(), "substitutions resolve after layering: --set vars.base reaches the file");
    assertEquals(ConfigLoader.load(null, List.of("model.nx=24", "window.states=24", "window.assimilated=10")), s,
        "vars are not settings");
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.load(null,
        List.of("vars=3")));
    assertTrue(e.getMessage().contains("'vars' must be a section"), e.getMessage());
  }

  @Test
  void environmentVariablesAreNotSubstitutedAndTheMessageSaysSo() throws IOException {
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.load(null,
        List.of("seed=${HOME}")));
    assertTrue(e.getMessage().contains("environment variables are not read"), e.getMessage());
    List<String> warnings = new java.util.ArrayList<>();
    Path f = conf("o.conf", "seed = 5\nseed = ${?SEED_FROM_ENV}\n");
    assertEquals(5, ConfigLoader.load(f, List.of(), warnings::add).seed());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("${?SEED_FROM_ENV}"), warnings.get(0));
  }

  @Test
  void integersAreReadExactlyFromTheirText() {
    assertEquals(1_000_000_000_000_000_000L, ConfigLoader.load(null, List.of("abc.trials=1e18", "abc.keep=1e-12"))
        .experiment().abc().trials());
    assertEquals(Long.MAX_VALUE, ConfigLoader.load(null, List.of("seed=9223372036854775807")).seed());
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.load(null,
        List.of("seed=9223372036854775808")));
    assertTrue(e.getMessage().contains("range of a 64-bit long"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ConfigLoader.load(null, List.of("seed=2^63")));
    assertTrue(e.getMessage().contains("arithmetic is not evaluated"), e.getMessage());
  }

  @Test
  void aConstraintBetweenKeysBlamesTheKeyTheUserSet() {
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.load(null,
        List.of("abc.trials=1e15")));
    assertTrue(e.getMessage().startsWith("config key 'abc.trials' (--set abc.trials=1e15): "), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ConfigLoader.load(null, List.of("window.states=8")));
    assertTrue(e.getMessage().startsWith("config key 'window.states' (--set window.states=8): "), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ConfigLoader.load(null, List.of("model.nx=18",
        "obs.pooling=4")));
    assertTrue(e.getMessage().startsWith("config key 'obs.pooling' (--set obs.pooling=4)"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ConfigLoader.load(null, List.of("abc.trials=50")));
    assertTrue(e.getMessage().startsWith("config key 'abc.trials' (--set abc.trials=50): "), e.getMessage());
    assertTrue(e.getMessage().contains("keeps no trial") && e.getMessage().contains("[abc.keep (defaults)]"),
        e.getMessage());
  }

  @Test
  void covarianceTimesNamedTwiceAreRefusedButNamesOfOneStateMerge() {
    BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.load(null,
        List.of("output.cov-times=[first,first]")));
    assertTrue(e.getMessage().contains("names first twice"), e.getMessage());
    assertThrows(BadInputException.class, () -> ConfigLoader.load(null, List.of("output.cov-times=[3,5,3]")));
    assertEquals(List.of(0, 15), ConfigLoader.load(null, List.of("window.assimilated=16")).experiment().output().covTimes());
  }
}
