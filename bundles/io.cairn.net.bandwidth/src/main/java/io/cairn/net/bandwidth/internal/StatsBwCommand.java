package io.cairn.net.bandwidth.internal;

import io.cairn.multiformats.MultiformatException;
import io.cairn.multiformats.PeerId;
import io.cairn.net.Bandwidth;
import io.cairn.net.BandwidthMonitor;
import io.cairn.rpc.RpcCommand;
import io.cairn.rpc.RpcException;
import io.cairn.rpc.RpcRequest;
import io.cairn.rpc.RpcResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Kubo's {@code stats/bw}: {@code TotalIn}, {@code TotalOut} (bytes), {@code RateIn}, {@code RateOut}
 * (bytes per second) of the node, of one {@code peer} or of one {@code proto}col (not both: Kubo's
 * client error); with {@code poll}, one such line every {@code interval} (default {@code 1s}) until the
 * request ends. An unknown or forgotten peer or protocol reads zero, as in Kubo.
 */
@Component(property = RpcCommand.PATH + "=stats/bw")
public class StatsBwCommand implements RpcCommand {
  static final Duration MIN_INTERVAL = Duration.ofMillis(10);
  static final Duration MAX_INTERVAL = Duration.ofDays(1);

  private final BandwidthMonitor monitor;

  @Activate
  public StatsBwCommand(@Reference BandwidthMonitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public void execute(RpcRequest request, RpcResponse response) throws RpcException, IOException {
    Optional<String> peer = request.option("peer").filter(p -> !p.isEmpty());
    Optional<String> proto = request.option("proto").filter(p -> !p.isEmpty());
    if (peer.isPresent() && proto.isPresent()) {
      throw RpcException.client("please only specify peer OR protocol");
    }
    Supplier<Bandwidth> source;
    if (peer.isPresent()) {
      PeerId id = parse(peer.get());
      source = () -> monitor.peer(id).orElse(Bandwidth.NONE);
    } else if (proto.isPresent()) {
      String protocol = proto.get();
      source = () -> monitor.protocol(protocol).orElse(Bandwidth.NONE);
    } else {
      source = monitor::total;
    }
    boolean poll = request.flag("poll", false);
    Duration interval = request.durationOption("interval", Duration.ofSeconds(1), MIN_INTERVAL, MAX_INTERVAL);
    if (!poll) {
      response.json(json(source.get()));
      return;
    }
    RpcResponse.JsonLines lines = response.jsonLines();
    while (true) {
      lines.write(json(source.get()));
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        // The request ended (its deadline, or the server stopping): a poll ends there, as Kubo's with its context.
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static PeerId parse(String text) throws RpcException {
    try {
      return PeerId.parse(text);
    } catch (MultiformatException e) {
      throw RpcException.client("invalid peer id \"" + text + "\": " + e.getMessage());
    }
  }

  static Map<String, Object> json(Bandwidth b) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("TotalIn", b.totalIn());
    out.put("TotalOut", b.totalOut());
    out.put("RateIn", b.rateIn());
    out.put("RateOut", b.rateOut());
    return out;
  }
}
