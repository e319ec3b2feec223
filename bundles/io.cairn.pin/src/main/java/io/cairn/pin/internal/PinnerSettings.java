package io.cairn.pin.internal;

import io.cairn.node.config.Configs;
import io.cairn.node.config.InvalidConfigException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/** The validated form of {@link PinnerConfig}; {@code folder} is resolved against the node home. */
record PinnerSettings(Duration blockTimeout, int maxConcurrentPins, Path folder) {
  static PinnerSettings of(PinnerConfig c, Path home) {
    Configs.inRange("blockTimeoutSeconds", c.blockTimeoutSeconds(), 1, 86_400);
    Configs.inRange("maxConcurrentPins", c.maxConcurrentPins(), 1, 1024);
    String path = c.path() == null ? "" : c.path().trim();
    if (path.isEmpty()) {
      throw new InvalidConfigException("path", "is empty; name the pin store's folder, e.g. pins");
    }
    Path folder;
    try {
      folder = home.resolve(path).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new InvalidConfigException("path", "'" + path + "' is not a path: " + e.getMessage());
    }
    return new PinnerSettings(Duration.ofSeconds(c.blockTimeoutSeconds()), c.maxConcurrentPins(), folder);
  }
}
