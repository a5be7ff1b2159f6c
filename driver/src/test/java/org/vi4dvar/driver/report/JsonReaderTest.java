package org.vi4dvar.driver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

  @Test
  void parsesNestedValuesInOrder() throws IOException {
    Object v = JsonReader.parse(" {\"b\": 1, \"a\": [1.5e3, -2, true, null, \"x\\\"y\\u00e9\\n\"], "
        + "\"m\": {\"n\": {}}} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of("b", "a", "m"), List.copyOf(m.keySet()));
    assertEquals(1.0, JsonReader.number(v, "b"));
    List<?> a = (List<?>) m.get("a");
    assertEquals(1500.0, a.get(0));
    assertEquals(-2.0, a.get(1));
    assertEquals(Boolean.TRUE, a.get(2));
    assertNull(a.get(3));
    assertEquals("x\"yé\n", a.get(4));
    assertTrue(JsonReader.object(v, "m", "n").isEmpty());
    assertNull(JsonReader.number(v, "a"));
    assertNull(JsonReader.at(v, "b", "c"));
    assertTrue(JsonReader.object(null, "x").isEmpty());
  }

  @Test
  void rejectsMalformedDocumentsWithAnOffset() {
    for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "{\"a\": 1} x", "nul", "\"a", "[1 2]",
        "{\"a\": -}", "\"\\q\""}) {
      IOException e = assertThrows(IOException.class, () -> JsonReader.parse(bad), bad);
      assertTrue(e.getMessage().contains("offset"), e.getMessage());
    }
  }
}
