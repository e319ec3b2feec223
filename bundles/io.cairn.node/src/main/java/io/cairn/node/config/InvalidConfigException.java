package io.cairn.node.config;

/** A configuration value that fails validation; names the key so the log line can. */
public class InvalidConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public InvalidConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
