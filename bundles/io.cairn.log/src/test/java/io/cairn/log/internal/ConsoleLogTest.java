package io.cairn.log.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogLevel;

class ConsoleLogTest {
  @Test
  void parsesLevelsCaseInsensitively() {
    assertEquals(LogLevel.DEBUG, ConsoleLog.parseLevel(" debug "));
    assertEquals(LogLevel.WARN, ConsoleLog.parseLevel("warning"));
  }

  @Test
  void rejectsUnknownAndAuditLevels() {
    assertThrows(IllegalArgumentException.class, () -> ConsoleLog.parseLevel("LOUD"));
    assertThrows(IllegalArgumentException.class, () -> ConsoleLog.parseLevel("AUDIT"));
    assertThrows(IllegalArgumentException.class, () -> ConsoleLog.parseLevel(null));
  }

  @Test
  void formatsOneLinePerEntryWithShortLoggerName() {
    assertEquals("1970-01-01T00:00:01.000Z WARN  [io.cairn.rpc] RpcServlet: slow",
        ConsoleLog.format(Instant.ofEpochSecond(1), LogLevel.WARN, "io.cairn.rpc", "io.cairn.rpc.internal.RpcServlet", "slow"));
  }
}
