package io.cairn.node.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn identity",
    description = "The node's Ed25519 libp2p identity key. Changing the file gives the node a new peer id: the component restarts.")
@interface IdentityConfig {
  @AttributeDefinition(
      name = "Key file",
      description = "Path of the identity key (libp2p PrivateKey protobuf, mode 0600), relative to the node home ($CAIRN_PATH) unless absolute. Created on first start, never replaced.")
  String keyFile() default "identity.key";
}
