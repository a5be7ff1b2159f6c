package org.vi4dvar.driver.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.map.LaplaceConfig;
import org.vi4dvar.kernels.twin.TwinConfig;
import org.vi4dvar.kernels.twin.TwinExperiment;
import org.vi4dvar.kernels.var.CorrelationModel;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;
import org.vi4dvar.kernels.var.MinimizationSpace;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * A problem with the extended control (dense B, model errors, the forcing) and the configurations with their
 * minimisation space go through Spark's Kryo as configured for a run (registration required), unchanged.
 */
class KryoExtendedControlTest {

  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.AnyRef();

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) {
    SerializerInstance k = new KryoSerializer(SparkSetup.conf("local[1]")).newInstance();
    ByteBuffer buf = k.serialize(value, (ClassTag<T>) ANY);
    return k.deserialize(buf, (ClassTag<T>) ANY);
  }

  @Test
  void extendedProblemRoundTripsExactly() {
    FourDVarProblem p = TwinExperiment.generate(TwinConfig.talk(3)
        .withBackgroundCorrelation(CorrelationModel.SOAR, 2.0).withModelError(0.05).withTruthForcing(8.5))
        .problem().withEstimatedParameter("forcing", 8.0, 1.0);
    FourDVarProblem back = roundTrip(p);
    assertEquals(p.dimension(), back.dimension());
    double[] c = p.control().centerVector();
    c[3] += 0.1;
    c[p.dimension() - 1] = 8.3;
    double[] g1 = new double[p.dimension()];
    double[] g2 = new double[p.dimension()];
    assertEquals(Double.doubleToLongBits(new FourDVarCost(p).costAndGradient(c, g1)),
        Double.doubleToLongBits(new FourDVarCost(back).costAndGradient(c, g2)));
    assertArrayEquals(g1, g2, 0.0);
    LaplaceConfig lc = roundTrip(LaplaceConfig.defaults().withSpace(MinimizationSpace.CONTROL));
    assertEquals(MinimizationSpace.CONTROL, lc.space);
  }
}
