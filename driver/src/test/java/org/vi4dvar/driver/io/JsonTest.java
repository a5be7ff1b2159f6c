package org.vi4dvar.driver.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void doublesAreExactAndNonFiniteBecomesNullAndIsCounted() throws Exception {
    Random r = new Random(345);
    double[] a = new double[200];
    for (int i = 0; i < a.length; i++) {
      a[i] = Double.longBitsToDouble(r.nextLong());
      if (!Double.isFinite(a[i])) {
        a[i] = r.nextGaussian() * 1e-300;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", a);
    m.put("nan", Double.NaN);
    m.put("list", new ArrayList<>(List.of(1.0, Double.POSITIVE_INFINITY, "x")));
    m.put("nested", Map.of("inf", Double.NEGATIVE_INFINITY));
    Json.Result res = Json.write(m);
    assertEquals(3, res.nonFinite());
    assertFalse(res.text().contains("NaN"));
    assertFalse(res.text().contains("Infinity"));
    JsonNode n = new ObjectMapper().readTree(res.text());
    for (int i = 0; i < a.length; i++) {
      assertEquals(Double.doubleToLongBits(a[i]), Double.doubleToLongBits(n.get("a").get(i).asDouble()));
    }
    assertTrue(n.get("nan").isNull());
  }

  @Test
  void stringsAreEscaped() throws Exception {
    String s = "quote \" backslash \\ newline \n tab \t control \u0001 unicode é";
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", s);
    m.put("n", null);
    m.put("b", true);
    m.put("i", List.of(1, 2L));
    m.put("empty", Map.of());
    m.put("ints", new int[] {3, 4});
    m.put("rows", List.of(Map.of("k", 1), Arrays.asList(1.5, null)));
    JsonNode n = new ObjectMapper().readTree(Json.write(m).text());
    assertEquals(s, n.get("s").asText());
    assertTrue(n.get("n").isNull());
    assertEquals(2, n.get("i").get(1).asInt());
    assertEquals(4, n.get("ints").get(1).asInt());
    assertEquals(1.5, n.get("rows").get(1).get(0).asDouble());
  }
}
