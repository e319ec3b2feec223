package io.cairn.rpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.rpc.RpcCommand;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandRoutesTest {
  /** A distinct instance each call (a non-capturing lambda would be one shared instance). */
  private static RpcCommand command() {
    return new RpcCommand() {
      @Override
      public void execute(io.cairn.rpc.RpcRequest request, io.cairn.rpc.RpcResponse response) {}
    };
  }

  @Test
  void highestRankingThenLowestServiceIdWins() {
    CommandRoutes routes = new CommandRoutes();
    RpcCommand first = command();
    RpcCommand ranked = command();
    RpcCommand later = command();
    routes.add(first, Map.of(RpcCommand.PATH, "/swarm/peers/", "service.id", 10L));
    routes.add(later, Map.of(RpcCommand.PATH, "swarm/peers", "service.id", 11L));
    assertSame(first, routes.find("swarm/peers").orElseThrow());
    routes.add(ranked, Map.of(RpcCommand.PATH, "swarm/peers", "service.id", 12L, "service.ranking", 5));
    assertSame(ranked, routes.find("swarm/peers").orElseThrow());
    routes.remove(ranked);
    assertSame(first, routes.find("swarm/peers").orElseThrow());
    assertEquals(List.of("swarm/peers"), routes.paths());
  }

  @Test
  void servicesWithoutAPathAreIgnored() {
    CommandRoutes routes = new CommandRoutes();
    routes.add(command(), Map.of("service.id", 1L));
    routes.add(command(), Map.of(RpcCommand.PATH, " / ", "service.id", 2L));
    assertTrue(routes.paths().isEmpty());
  }
}
