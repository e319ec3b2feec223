package io.cairn.rpc.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn RPC server",
    description = "The Kubo-compatible HTTP RPC at /api/v0 (its address is the HTTP server's: cairn.api.address).")
@interface RpcServerConfig {
  @AttributeDefinition(
      name = "Allowed origins",
      description = "Browser origins (scheme://host[:port], or * for any) allowed to call the API besides its own; as Kubo's API.HTTPHeaders Access-Control-Allow-Origin. Requests without Origin or Referer (curl, scripts, ipfs-cluster) are always allowed.")
  String[] allowedOrigins() default {};

  @AttributeDefinition(
      name = "Max arguments",
      description = "Most arg= values one request may carry; more is a client error (400).",
      min = "1", max = "1000000")
  int maxArguments() default 1024;

  @AttributeDefinition(
      name = "Max multipart header bytes",
      description = "Most bytes of one part's headers in a multipart upload (block/put, add), and of the preamble before the first part; more is a client error (400).",
      min = "256", max = "61440")
  int multipartMaxHeaderBytes() default 16384;

  @AttributeDefinition(
      name = "Max multipart parts",
      description = "Most parts one multipart upload may hold (ipfs-cluster sends all blocks of an add in one block/put request); more is a client error (400).",
      min = "1", max = "100000000")
  int multipartMaxParts() default 1_000_000;

  @AttributeDefinition(
      name = "Max commands in flight",
      description = "Most requests whose commands may run at once. Each runs on a thread of its own (a virtual thread), so commands waiting on the network (block/get, cat of blocks no peer has) hold none of the HTTP server's threads and other requests are answered meanwhile; past this many, a request is answered 503 at once (Retry-After: 1).",
      min = "1", max = "1000000")
  int maxCommandsInFlight() default 1024;

  @AttributeDefinition(
      name = "Body read-ahead bytes",
      description = "How much of a request body is read before its command runs: a body up to this size is known whole before anything acts on it, so one cut short or with malformed chunking is answered 400 and the command does not run. A longer body (an upload to block/put or add) streams from there, each part stored only once it arrived whole.",
      min = "0", max = "16777216")
  int bodyReadAheadBytes() default 65536;
}
