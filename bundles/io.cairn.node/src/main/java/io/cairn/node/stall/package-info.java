/**
 * How long the whole process stood still: {@link io.cairn.node.stall.ProcessStalls}, so that a timeout can
 * tell a slow part (a tier, a peer) from a process that ran nothing at all (a garbage collection pause,
 * a safepoint, a machine whose CPUs were all taken).
 */
@Export
@Version("1.0.0")
package io.cairn.node.stall;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
