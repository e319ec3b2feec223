/**
 * The one way Cairn components validate and apply configuration: a config is validated whole into an
 * immutable settings record; an invalid key raises {@link io.cairn.node.config.InvalidConfigException}
 * naming it, and the previous settings (at activation: the metatype defaults) stay in force.
 */
@Export
@Version("1.0.0")
package io.cairn.node.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
