/**
 * Pinning and garbage collection. A {@link io.cairn.pin.Pinner} keeps the pin set (recursive and
 * direct pins, with names; indirect pins are what recursive pins reach) and pins by walking a DAG,
 * fetching what is missing; a {@link io.cairn.pin.GarbageCollector} removes the blocks no pin holds,
 * while puts and pins go on.
 */
@Export
@Version("1.0.0")
package io.cairn.pin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
