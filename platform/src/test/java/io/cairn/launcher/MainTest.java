package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void theShellRunsOnlyWhenAskedForAndSomeoneIsAtATerminal() {
    assertTrue(Main.runsShell(List.of(), true));
    assertFalse(Main.runsShell(List.of(), false), "stdin from /dev/null, a pipe or a service manager: as daemon");
    assertFalse(Main.runsShell(List.of("daemon"), true));
    assertFalse(Main.runsShell(List.of("daemon"), false));
  }

  @Test
  void helpListsEveryAddressOption() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    System.setProperty("cairn.dist", "src/main/dist");
    try {
      assertEquals(0, new Main(print, print).run(List.of("help"), Map.of()));
    } finally {
      System.clearProperty("cairn.dist");
    }
    String usage = out.toString(StandardCharsets.UTF_8);
    for (String option : List.of("--api-address", "--swarm-address", "--gateway-address", "CAIRN_GATEWAY_ADDRESS", "--path")) {
      assertTrue(usage.contains(option), option + " in\n" + usage);
    }
  }
}
