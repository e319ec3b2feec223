package io.cairn.node;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered as a service once the node is ready, and from then on for as long as it runs: every
 * started bundle has started, SCR knows the components of each, and every enabled component is
 * satisfied and (when immediate) active, so every RPC command is registered. A component that waits
 * for a configuration it requires (a factory such as {@code io.cairn.blockstore.file}) does not hold
 * the node back.
 *
 * <p>The launcher waits for it, by the filter {@code (objectClass=io.cairn.node.NodeReady)}, before it
 * writes {@code $CAIRN_PATH/api} and prints its banner; the RPC answers {@code 503} until it is there.
 *
 * <p>Ready stays ready: a bundle deployed or a component reconfigured later does not withdraw it, so a
 * client that saw the node ready never meets {@code 503} again (a command whose bundle is away answers
 * {@code 404}, as Kubo answers a command it does not have).
 */
@ProviderType
public interface NodeReady {
}
