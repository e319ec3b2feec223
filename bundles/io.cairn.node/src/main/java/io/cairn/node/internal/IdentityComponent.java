package io.cairn.node.internal;

import io.cairn.multiformats.PeerId;
import io.cairn.multiformats.PrivateKey;
import io.cairn.multiformats.PublicKey;
import io.cairn.node.NodeIdentity;
import io.cairn.node.NodeInfo;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Loads (or on first start creates) the identity key and registers {@link NodeIdentity} with the
 * peer id as a service property, which a DS-declared service could not carry.
 */
@Component(configurationPid = IdentityComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true, service = {})
@Designate(ocd = IdentityConfig.class)
public class IdentityComponent implements NodeIdentity {
  public static final String PID = "io.cairn.node.identity";

  private final PrivateKey key;
  private final PublicKey publicKey;
  private final PeerId peerId;
  private final ServiceRegistration<NodeIdentity> registration;

  @Activate
  public IdentityComponent(BundleContext context, @Reference NodeInfo node,
      @Reference(service = LoggerFactory.class) Logger log, IdentityConfig config) throws IdentityKeyException {
    Path file = node.home().resolve(config.keyFile());
    IdentityKeyFile.Loaded loaded = IdentityKeyFile.loadOrCreate(file);
    this.key = loaded.key();
    this.publicKey = key.publicKey();
    this.peerId = PeerId.fromPublicKey(publicKey);
    if (loaded.created()) {
      log.info("Created identity {} in {}", peerId, file);
    }
    if (loaded.tooOpen()) {
      log.warn("The identity key file {} is readable by other users: chmod 600 it", file);
    }
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(PEER_ID_PROPERTY, peerId.toString());
    this.registration = context.registerService(NodeIdentity.class, this, props);
  }

  @Deactivate
  void deactivate() {
    registration.unregister();
  }

  @Override
  public PeerId peerId() {
    return peerId;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public byte[] sign(byte[] message) {
    return key.sign(message);
  }
}
