/**
 * Content-addressed archives (CAR, ipld.io/specs/transport/car). {@link io.cairn.car.Car#reader} reads a
 * CAR v1 stream (or the v1 payload of a CARv2) section by section, bounded and hash-verifying every block;
 * {@link io.cairn.car.Car#writer} writes a CAR v1 stream. Both stream: nothing is held but the block at
 * hand.
 */
@Export
@Version("2.0.0")
package io.cairn.car;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
