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
}
