package org.vi4dvar.driver.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Where the files of an output go, by path relative to its root: an all-or-nothing
 * {@link org.vi4dvar.driver.io.OutputDirectory} for commands, a plain folder for test fixtures. The writer and
 * the fixtures thus produce the same {@link OutputLayout}.
 */
public interface OutputSink {

  /** A text writer of {@code relative} (UTF-8; subdirectories created). */
  Writer openWriter(String relative) throws IOException;

  /** A binary stream of {@code relative} (subdirectories created). */
  OutputStream openStream(String relative) throws IOException;

  /** Writes {@code content} to {@code relative}. */
  default void writeString(String relative, String content) throws IOException {
    try (OutputStream s = openStream(relative)) {
      s.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }
}
