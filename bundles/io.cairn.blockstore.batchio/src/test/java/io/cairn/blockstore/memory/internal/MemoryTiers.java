package io.cairn.blockstore.memory.internal;

import java.lang.reflect.Proxy;
import org.osgi.service.log.Logger;

/**
 * Makes the real memory tier for the batch I/O tests, as its own tests do: the tier's configuration
 * type and test constructor are package-private, hence this class in the tier's package.
 */
public final class MemoryTiers {
  private MemoryTiers() {}

  /** A memory tier holding {@code capacityBytes} (with per-block overhead), on a notional 8 GiB heap. */
  public static MemoryTier withCapacity(Logger log, long capacityBytes) {
    MemoryTierConfig config = (MemoryTierConfig) Proxy.newProxyInstance(MemoryTierConfig.class.getClassLoader(),
        new Class<?>[] {MemoryTierConfig.class}, (p, m, a) -> switch (m.getName()) {
          case "capacityBytes" -> capacityBytes;
          case "maxHeapShare" -> 0.5;
          case "annotationType" -> MemoryTierConfig.class;
          default -> throw new UnsupportedOperationException(m.getName());
        });
    return new MemoryTier(log, config, 8L << 30);
  }
}
