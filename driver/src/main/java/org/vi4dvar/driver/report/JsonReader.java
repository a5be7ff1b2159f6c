package org.vi4dvar.driver.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) parser for summary.json: objects become {@code LinkedHashMap<String, Object>}
 * (document order kept), arrays {@code List<Object>}, numbers {@code Double}, plus {@code String},
 * {@code Boolean} and {@code null}. The report reads one small file, so a dependency on Jackson (which Spark
 * provides at a version of its choosing) is not worth its coupling.
 */
final class JsonReader {

  private static final int MAX_DEPTH = 200;

  private final String s;
  private int i;

  private JsonReader(String s) {
    this.s = s;
  }

  /** Parses a whole document; the message of the exception gives the character offset of the error. */
  static Object parse(String text) throws IOException {
    JsonReader r = new JsonReader(text);
    r.ws();
    Object v = r.value(0);
    r.ws();
    if (r.i != text.length()) {
      throw r.error("trailing characters");
    }
    return v;
  }

  /**
   * The value at {@code path} under {@code root} (object keys), or null if any step is absent or not an object.
   */
  static Object at(Object root, String... path) {
    Object v = root;
    for (String k : path) {
      if (!(v instanceof Map)) {
        return null;
      }
      v = ((Map<?, ?>) v).get(k);
    }
    return v;
  }

  /** The number at {@code path}, or null (absent, null, or not a number). */
  static Double number(Object root, String... path) {
    Object v = at(root, path);
    return v instanceof Double ? (Double) v : null;
  }

  /** The object at {@code path}, or an empty map. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object root, String... path) {
    Object v = at(root, path);
    return v instanceof Map ? (Map<String, Object>) v : Map.of();
  }

  private Object value(int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH);
    }
    if (i >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Map<String, Object> object(int depth) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    ws();
    if (peek() == '}') {
      i++;
      return m;
    }
    while (true) {
      ws();
      if (peek() != '"') {
        throw error("expected a key");
      }
      String k = string();
      ws();
      expect(':');
      ws();
      m.put(k, value(depth + 1));
      ws();
      char c = next();
      if (c == '}') {
        return m;
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) throws IOException {
    List<Object> a = new ArrayList<>();
    i++;
    ws();
    if (peek() == ']') {
      i++;
      return a;
    }
    while (true) {
      ws();
      a.add(value(depth + 1));
      ws();
      char c = next();
      if (c == ']') {
        return a;
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() throws IOException {
    i++;
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"':
        case '\\':
        case '/':
          b.append(e);
          break;
        case 'b':
          b.append('\b');
          break;
        case 'f':
          b.append('\f');
          break;
        case 'n':
          b.append('\n');
          break;
        case 'r':
          b.append('\r');
          break;
        case 't':
          b.append('\t');
          break;
        case 'u':
          if (i + 4 > s.length()) {
            throw error("short \\u escape");
          }
          try {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad \\u escape");
          }
          i += 4;
          break;
        default:
          throw error("bad escape '\\" + e + "'");
      }
    }
  }

  private Double number() throws IOException {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    while (i < s.length() && "0123456789+-.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    try {
      return Double.valueOf(s.substring(start, i));
    } catch (NumberFormatException e) {
      i = start;
      throw error("bad number");
    }
  }

  private Object literal(String word, Object v) throws IOException {
    if (!s.startsWith(word, i)) {
      throw error("expected " + word);
    }
    i += word.length();
    return v;
  }

  private void ws() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }

  private char peek() throws IOException {
    if (i >= s.length()) {
      throw error("unexpected end");
    }
    return s.charAt(i);
  }

  private char next() throws IOException {
    char c = peek();
    i++;
    return c;
  }

  private void expect(char c) throws IOException {
    if (next() != c) {
      throw error("expected '" + c + "'");
    }
  }

  private IOException error(String what) {
    return new IOException("JSON: " + what + " at offset " + i);
  }
}
