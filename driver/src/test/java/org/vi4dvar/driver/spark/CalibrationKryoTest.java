package org.vi4dvar.driver.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.calibrate.Calibration;
import org.vi4dvar.kernels.calibrate.CalibrationInputs;
import org.vi4dvar.kernels.calibrate.TwinMethod;
import org.vi4dvar.kernels.calibrate.TwinResult;
import org.vi4dvar.kernels.config.EnsembleSettings;
import org.vi4dvar.kernels.config.OutputSettings;
import org.vi4dvar.kernels.config.StartPoint;
import org.vi4dvar.kernels.testing.Settings;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** calibrate's broadcast (CalibrationInputs) and task results (TwinResult) go through Spark's Kryo as configured. */
class CalibrationKryoTest {

  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.AnyRef();

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) {
    SerializerInstance k = new KryoSerializer(SparkSetup.conf("local[1]")).newInstance();
    ByteBuffer buf = k.serialize(value, (ClassTag<T>) ANY);
    return k.deserialize(buf, (ClassTag<T>) ANY);
  }

  @Test
  void inputsAndTwinResultsRoundTripExactly() {
    Settings s = Settings.small();
    s.methods = List.of("ensemble");
    s.ensemble = new EnsembleSettings(4, StartPoint.BACKGROUND, 50);
    s.output = new OutputSettings(List.of(), 0, 0, false);
    CalibrationInputs in = new CalibrationInputs(s.build(), 3, 7, null);
    CalibrationInputs inBack = roundTrip(in);
    assertEquals(in.twinSettings(), inBack.twinSettings());
    assertEquals(in.settingsOf(5), inBack.settingsOf(5));
    TwinResult t = Calibration.twin(in, 2);
    TwinResult back = roundTrip(new java.util.ArrayList<>(List.of(t))).get(0);
    assertEquals(t.seed, back.seed);
    assertEquals(t.costAtTruth, back.costAtTruth);
    assertEquals(t.methods.length, back.methods.length);
    for (int i = 0; i < t.methods.length; i++) {
      TwinMethod a = t.methods[i];
      TwinMethod b = back.methods[i];
      assertEquals(a.name, b.name);
      assertEquals(a.assim.rmse, b.assim.rmse);
      assertArrayEquals(a.x0.rankHistogram, b.x0.rankHistogram);
      assertEquals(a.forecast.chosenBin, b.forecast.chosenBin);
    }
  }
}
