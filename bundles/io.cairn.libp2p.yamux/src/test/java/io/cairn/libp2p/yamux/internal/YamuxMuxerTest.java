package io.cairn.libp2p.yamux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.libp2p.spi.MuxedSession;
import io.cairn.node.config.Configs;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class YamuxMuxerTest {
  private final TestLogger log = new TestLogger();

  @Test
  void isRegisteredAsTheYamuxMuxerWithItsPid() throws IOException {
    assertEquals("/yamux/1.0.0", new YamuxMuxer(log.logger, Configs.defaults(YamuxConfig.class)).protocolId());
    try (InputStream xml = getClass().getResourceAsStream("/OSGI-INF/" + YamuxMuxer.class.getName() + ".xml")) {
      String component = new String(xml.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(component.contains("name=\"libp2p.muxer\"") && component.contains("value=\"/yamux/1.0.0\""), component);
      assertTrue(component.contains("configuration-pid=\"" + YamuxMuxer.PID + "\""), component);
      assertTrue(component.contains("io.cairn.libp2p.spi.StreamMuxer"), component);
    }
  }

  @Test
  void startPutsDecoderEncoderAndSessionAtTheEndOfThePipeline() {
    EmbeddedChannel connection = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    MuxedSession session = new YamuxMuxer(log.logger, Configs.defaults(YamuxConfig.class))
        .start(connection, true, s -> {});
    List<String> names = connection.pipeline().names();
    assertEquals(List.of("yamux-decoder", "yamux-encoder", "yamux"), names.subList(names.size() - 4, names.size() - 1));
    assertTrue(connection.pipeline().last() instanceof YamuxSession);
    assertEquals(1, session.openStream().join().streamId());
    assertEquals(1, session.streamCount());
    connection.finishAndReleaseAll();
    assertEquals(0, session.streamCount());
  }

  @Test
  void newSettingsApplyToNewSessionsAndInvalidOnesAreRejectedWhole() {
    YamuxMuxer muxer = new YamuxMuxer(log.logger, TestSettings.config(Map.of("maxStreams", 1)));
    EmbeddedChannel first = new EmbeddedChannel();
    MuxedSession limited = muxer.start(first, true, s -> {});
    limited.openStream().join();
    assertThrows(CompletionException.class, () -> limited.openStream().join());

    muxer.modified(TestSettings.config(Map.of("maxStreams", 5, "writeQueueLowWater", 2 << 20)));
    assertFalse(log.problems.isEmpty(), "a low-water mark above the high-water mark is rejected");
    EmbeddedChannel second = new EmbeddedChannel();
    MuxedSession stillLimited = muxer.start(second, true, s -> {});
    stillLimited.openStream().join();
    assertThrows(CompletionException.class, () -> stillLimited.openStream().join(), "the previous settings stay");

    muxer.modified(TestSettings.config(Map.of("maxStreams", 2)));
    EmbeddedChannel third = new EmbeddedChannel();
    MuxedSession wider = muxer.start(third, true, s -> {});
    wider.openStream().join();
    wider.openStream().join();
    assertThrows(CompletionException.class, () -> limited.openStream().join(), "an open session keeps its settings");
    first.finishAndReleaseAll();
    second.finishAndReleaseAll();
    third.finishAndReleaseAll();
  }
}
