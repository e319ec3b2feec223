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
}
