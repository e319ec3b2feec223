package io.cairn.gateway.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn trustless gateway",
    description = "The IPFS trustless gateway (raw blocks and CAR streams over HTTP) on an embedded server of its own. Every value can be changed while it runs; a new host or port rebinds the server.")
@interface GatewayConfig {
  @AttributeDefinition(name = "Host", description = "The address the gateway listens on (127.0.0.1: this machine only).")
  String host() default "127.0.0.1";

  @AttributeDefinition(name = "Port", min = "0", max = "65535", description = "The TCP port (0: any free port).")
  int port() default 8080;

  @AttributeDefinition(name = "Maximum connections", min = "1", max = "1000000",
      description = "Connections open at once, from all clients; more are answered 503 and closed as they are accepted.")
  int maxConnections() default 1024;

  @AttributeDefinition(name = "Maximum connections per address", min = "1", max = "1000000",
      description = "Connections open at once from one client address (an IPv6 client counted by its /64), so that one "
          + "client cannot take every connection; more are answered 503 and closed as they are accepted. Behind a "
          + "reverse proxy every client has the proxy's address: raise this to maxConnections there.")
  int maxConnectionsPerAddress() default 256;

  @AttributeDefinition(name = "Maximum connections per IPv6 subnet", min = "1", max = "1000000",
      description = "Connections open at once from one IPv6 /48 (what one site is commonly given, and 65,536 /64s), so "
          + "that a client holding many /64s cannot take every connection; more are answered 503 and closed as they are "
          + "accepted. IPv4 has no such limit: many clients share a provider's /24. Behind an IPv6 reverse proxy, raise "
          + "this with maxConnectionsPerAddress.")
  int maxConnectionsPerIpv6Subnet() default 256;

  @AttributeDefinition(name = "Refusal log interval (s)", min = "1", max = "3600",
      description = "Connections refused by one limit are logged at WARN at most once per interval: the line names the "
          + "latest client and counts those left out since the limit's previous line, however many addresses they came from.")
  int refusalLogIntervalSeconds() default 10;

  @AttributeDefinition(name = "Header timeout (ms)", min = "100", max = "3600000",
      description = "A request's line and headers must arrive whole within this long of its first byte (a slowloris "
          + "defence); else the gateway answers 408 and closes the connection. Waiting for a request's first byte is "
          + "bounded by the idle timeout.")
  long headerTimeoutMillis() default 20_000;

  @AttributeDefinition(name = "UnixFS threads", min = "1", max = "1024",
      description = "Requests that need UnixFS (a content path below the CID, dag-scope=entity) served at once: UnixFS "
          + "reads wait for blocks, so these run on this many threads. Raw blocks and CARs by CID hold no thread while "
          + "they wait for blocks.")
  int unixfsThreads() default 16;

  @AttributeDefinition(name = "Queued UnixFS requests", min = "0", max = "1000000",
      description = "Requests that need UnixFS waiting for one of its threads; beyond this the gateway answers 503.")
  int maxQueuedUnixfsRequests() default 1024;

  @AttributeDefinition(name = "Blocks fetched ahead", min = "1", max = "256",
      description = "How many blocks a CAR stream reads or fetches ahead of the one it writes (held in memory until written).")
  int prefetchBlocks() default 8;

  @AttributeDefinition(name = "Maximum request line (bytes)", min = "256", max = "65536",
      description = "The longest request line (method, path and query); longer is answered 414.")
  int maxRequestLineBytes() default 8192;

  @AttributeDefinition(name = "Maximum headers (bytes)", min = "256", max = "1048576",
      description = "The most bytes of request headers; more is answered 431.")
  int maxHeaderBytes() default 16384;

  @AttributeDefinition(name = "Idle timeout (ms)", min = "1000", max = "86400000",
      description = "A connection with nothing read or written for this long is closed (a stalled client included).")
  long idleTimeoutMillis() default 60_000;

  @AttributeDefinition(name = "Root timeout (ms)", min = "1", max = "86400000",
      description = "How long a request waits for the requested block to arrive from peers when it is not local, before "
          + "answering 504 Gateway Timeout.")
  long rootTimeoutMillis() default 30_000;

  @AttributeDefinition(name = "Block timeout (ms)", min = "1", max = "86400000",
      description = "How long a CAR stream waits for one missing block below the root to arrive from peers; then the stream ends, incomplete.")
  long blockTimeoutMillis() default 30_000;
}
