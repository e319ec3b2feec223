package io.cairn.net.connmgr.internal;

import io.cairn.multiformats.PeerId;
import io.cairn.net.ConnManager;
import io.cairn.net.ConnManagerInfo;
import io.cairn.net.TagInfo;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo {@code net:connmgr}: the watermarks, the connection and protected counts, the last trim and what
 * trims closed; {@code net:connmgr <peer>}: that peer's tags, value, protection and connections;
 * {@code net:connmgr trim}: a trim now (protection and grace periods respected).
 */
@Component(service = ConnManagerShellCommands.class, property = {"osgi.command.scope=net", "osgi.command.function=connmgr"})
public class ConnManagerShellCommands {
  private final ConnManager manager;

  @Activate
  public ConnManagerShellCommands(@Reference ConnManager manager) {
    this.manager = manager;
  }

  public String connmgr(String... args) throws Exception {
    if (args.length == 0) {
      ConnManagerInfo i = manager.info();
      return String.format(Locale.ROOT,
          "connections %d (low water %d, high water %d), protected peers %d%ngrace period %ds, silence period %ds%n"
              + "last trim %s, connections trimmed since start %d",
          i.connections(), i.lowWater(), i.highWater(), i.protectedPeers(), i.gracePeriod().toSeconds(),
          i.silencePeriod().toSeconds(), i.lastTrim().map(Object::toString).orElse("never"), i.trimmed());
    }
    if (args[0].equals("trim")) {
      return "closed " + manager.trim().get(60, TimeUnit.SECONDS) + " connections";
    }
    PeerId peer = PeerId.parse(args[0]);
    TagInfo t = manager.tagInfo(peer).orElseThrow(() -> new IllegalArgumentException("peer " + peer + " is neither connected nor tagged"));
    return String.format(Locale.ROOT, "value %d, tags %s, protected %s%nfirst seen %s%nconnections %s", t.value(), t.tags(),
        manager.isProtected(peer, null), t.firstSeen(), t.connections());
  }
}
