package org.vi4dvar.driver.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vi4dvar.driver.output.OutputSink;

/** A plain folder as an output sink (files appear as they are written), for fixtures. */
public final class FolderSink implements OutputSink {

  private final Path root;

  /** Writes below {@code root}. */
  public FolderSink(Path root) {
    this.root = root;
  }

  @Override
  public Writer openWriter(String relative) throws IOException {
    Path f = root.resolve(relative);
    Files.createDirectories(f.getParent());
    return Files.newBufferedWriter(f, StandardCharsets.UTF_8);
  }

  @Override
  public OutputStream openStream(String relative) throws IOException {
    Path f = root.resolve(relative);
    Files.createDirectories(f.getParent());
    return Files.newOutputStream(f);
  }
}
