package io.cairn.multiformats;

import io.cairn.multiformats.internal.IpAddresses;
import io.cairn.multiformats.internal.Printable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A multiaddr (multiformats/multiaddr): a path of protocol components such as
 * {@code /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW...}, with a text and a binary form.
 *
 * <p>Cairn supports the protocols of {@link Protocol}. Parsing follows go-multiaddr: trailing slashes are
 * ignored, {@code /ipfs/} is read as {@code /p2p/}, IPv6 is written per RFC 5952 and IPv4-mapped IPv6 as
 * {@code ::ffff:a.b.c.d}, peer ids are written in base58btc. Everything else malformed is an
 * {@link InvalidMultiaddrException}: unknown protocols, empty components, missing or invalid values, and in
 * binary form truncated components and length prefixes beyond the input (checked before any allocation).
 *
 * <p>Immutable; equality is on the binary form.
 */
public final class Multiaddr {
    /** The multiaddr protocols Cairn reads and writes, with their multicodec codes. */
    public enum Protocol {
        /** An IPv4 address. */
        IP4(4, "ip4", 4),
        /** A TCP port. */
        TCP(6, "tcp", 2),
        /** A host name resolved to any address family. */
        DNS(53, "dns", LENGTH_PREFIXED),
        /** A host name resolved to IPv4 addresses. */
        DNS4(54, "dns4", LENGTH_PREFIXED),
        /** A host name resolved to IPv6 addresses. */
        DNS6(55, "dns6", LENGTH_PREFIXED),
        /** An IPv6 address. */
        IP6(41, "ip6", 16),
        /** A UDP port. */
        UDP(273, "udp", 2),
        /** A libp2p peer id; {@code ipfs} is its legacy name. */
        P2P(421, "p2p", LENGTH_PREFIXED);

        private final long code;
        private final String protocolName;
        private final int valueLength;

        Protocol(long code, String protocolName, int valueLength) {
            this.code = code;
            this.protocolName = protocolName;
            this.valueLength = valueLength;
        }

        /** @return the multicodec code */
        public long code() {
            return code;
        }

        /** @return the name in the text form */
        public String protocolName() {
            return protocolName;
        }

        private static final Protocol[] ALL = values();

        /** @return the protocol with this code, if supported */
        public static Optional<Protocol> forCode(long code) {
            for (Protocol protocol : ALL) {
                if (protocol.code == code) {
                    return Optional.of(protocol);
                }
            }
            return Optional.empty();
        }

        /** @return the protocol with this text name, {@code ipfs} meaning {@link #P2P}, if supported */
        public static Optional<Protocol> forName(String name) {
            if (name.equals("ipfs")) {
                return Optional.of(P2P);
            }
            for (Protocol protocol : ALL) {
                if (protocol.protocolName.equals(name)) {
                    return Optional.of(protocol);
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return protocolName;
        }
    }

    /** Marks protocols whose binary value carries a varint length prefix. */
    private static final int LENGTH_PREFIXED = -1;

    /** One protocol and its value. Immutable; equal when protocol and binary value are equal. */
    public static final class Component {
        private final Protocol protocol;
        private final byte[] value;
        private final String text;
        private final PeerId peerId;

        private Component(Protocol protocol, byte[] value, String text, PeerId peerId) {
            this.protocol = protocol;
            this.value = value;
            this.text = text;
            this.peerId = peerId;
        }

        /**
         * @return the component of a protocol and the text form of its value
         * @throws InvalidMultiaddrException if the value is not valid for the protocol
         */
        public static Component of(Protocol protocol, String value) {
            return switch (protocol) {
                case IP4 -> {
                    byte[] address = IpAddresses.parseIpv4(value);
                    if (address == null && value.indexOf(':') >= 0) {
                        // Go reads an IPv4-mapped IPv6 text as the IPv4 address it maps.
                        byte[] ipv6 = IpAddresses.parseIpv6(value);
                        address = ipv6 != null && IpAddresses.isIpv4Mapped(ipv6) ? Arrays.copyOfRange(ipv6, 12, 16) : null;
                    }
                    yield ofBinary(protocol, requireValid(protocol, value, address));
                }
                case IP6 -> ofBinary(protocol, requireValid(protocol, value, IpAddresses.parseIpv6(value)));
                case TCP, UDP -> ofBinary(protocol, requireValid(protocol, value, port(value)));
                case DNS, DNS4, DNS6 -> {
                    byte[] name = value.getBytes(StandardCharsets.UTF_8);
                    // getBytes replaces unpaired surrogates, which would then not read back as the input.
                    yield ofBinary(protocol, requireValid(protocol, value,
                            new String(name, StandardCharsets.UTF_8).equals(value) ? name : null));
                }
                case P2P -> {
                    try {
                        yield ofPeerId(PeerId.parse(value));
                    } catch (InvalidPeerIdException e) {
                        throw new InvalidMultiaddrException("invalid /p2p value: " + e.getMessage(), e);
                    }
                }
            };
        }

        /** @return the {@code /p2p} component of a peer id */
        public static Component ofPeerId(PeerId peerId) {
            return new Component(Protocol.P2P, peerId.toBytes(), peerId.toString(), peerId);
        }

        /** @throws InvalidMultiaddrException if the binary value is not valid for the protocol */
        private static Component ofBinary(Protocol protocol, byte[] value) {
            if (protocol.valueLength != LENGTH_PREFIXED && value.length != protocol.valueLength) {
                throw new InvalidMultiaddrException(protocol + " values are " + protocol.valueLength + " bytes");
            }
            return switch (protocol) {
                case IP4 -> new Component(protocol, value, IpAddresses.formatIpv4(value, 0), null);
                case IP6 -> new Component(protocol, value, IpAddresses.formatIpv6(value), null);
                case TCP, UDP -> new Component(protocol, value, Integer.toString((value[0] & 0xff) << 8 | (value[1] & 0xff)),
                        null);
                case DNS, DNS4, DNS6 -> new Component(protocol, value, hostName(protocol, value), null);
                case P2P -> {
                    try {
                        yield ofPeerId(PeerId.fromBytes(value));
                    } catch (InvalidPeerIdException e) {
                        throw new InvalidMultiaddrException("invalid /p2p value: " + e.getMessage(), e);
                    }
                }
            };
        }

        private static byte[] requireValid(Protocol protocol, String value, byte[] parsed) {
            if (parsed == null) {
                throw new InvalidMultiaddrException("invalid " + protocol + " value " + Printable.quote(value));
            }
            return parsed;
        }

        /** @return the two bytes of a decimal port 0..65535 (leading zeros allowed, as Go does), or null */
        private static byte[] port(String text) {
            if (text.isEmpty() || text.length() > 5) {
                return null;
            }
            int port = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                port = port * 10 + (c - '0');
            }
            return port > 0xffff ? null : new byte[] {(byte) (port >>> 8), (byte) port};
        }

        private static String hostName(Protocol protocol, byte[] value) {
            String name;
            try {
                name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
            } catch (CharacterCodingException e) {
                throw new InvalidMultiaddrException(protocol + " name is not UTF-8", e);
            }
            if (name.isEmpty() || name.indexOf('/') >= 0) {
                throw new InvalidMultiaddrException(protocol + " name must be non-empty and free of '/'");
            }
            return name;
        }

        /** @return the protocol */
        public Protocol protocol() {
            return protocol;
        }

        /** @return a copy of the binary value */
        public byte[] value() {
            return value.clone();
        }

        /** @return the text form of the value, for example {@code 1.2.3.4} or {@code 4001} */
        public String valueString() {
            return text;
        }

        /** @return the peer id of a {@code /p2p} component */
        public Optional<PeerId> peerId() {
            return Optional.ofNullable(peerId);
        }

        /** @return the text form, for example {@code /tcp/4001} */
        @Override
        public String toString() {
            return "/" + protocol.protocolName + "/" + text;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Component other && protocol == other.protocol && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(protocol.code) + Arrays.hashCode(value);
        }
    }

    private final List<Component> components;
    private final byte[] bytes;
    private String string;

    private Multiaddr(List<Component> components) {
        this.components = components;
        int length = 0;
        for (Component component : components) {
            length += binaryLength(component);
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (Component component : components) {
            offset += Varint.encode(component.protocol.code, out, offset);
            if (component.protocol.valueLength == LENGTH_PREFIXED) {
                offset += Varint.encode(component.value.length, out, offset);
            }
            System.arraycopy(component.value, 0, out, offset, component.value.length);
            offset += component.value.length;
        }
        this.bytes = out;
    }

    private static int binaryLength(Component component) {
        int prefix = component.protocol.valueLength == LENGTH_PREFIXED ? Varint.encodedLength(component.value.length) : 0;
        return Varint.encodedLength(component.protocol.code) + prefix + component.value.length;
    }

    /**
     * @return the multiaddr of these components
     * @throws InvalidMultiaddrException if there are none
     */
    public static Multiaddr of(List<Component> components) {
        if (components.isEmpty()) {
            throw new InvalidMultiaddrException("a multiaddr has at least one component");
        }
        return new Multiaddr(List.copyOf(components));
    }

    /**
     * @return the multiaddr of these components
     * @throws InvalidMultiaddrException if there are none
     */
    public static Multiaddr of(Component... components) {
        return of(List.of(components));
    }

    /**
     * Parses the text form.
     *
     * @throws InvalidMultiaddrException if it is malformed, empty or names an unsupported protocol
     */
    public static Multiaddr parse(String text) {
        if (!text.startsWith("/")) {
            throw new InvalidMultiaddrException("multiaddr " + Printable.quote(text) + " must start with '/'");
        }
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '/') {
            end--;
        }
        if (end == 0) {
            throw new InvalidMultiaddrException("empty multiaddr " + Printable.quote(text));
        }
        String[] parts = text.substring(1, end).split("/", -1);
        List<Component> components = new ArrayList<>(parts.length / 2 + 1);
        for (int i = 0; i < parts.length; i += 2) {
            String name = parts[i];
            if (name.isEmpty()) {
                throw new InvalidMultiaddrException("empty component in " + Printable.quote(text));
            }
            Protocol protocol = Protocol.forName(name).orElseThrow(() -> new InvalidMultiaddrException(
                    "unknown or unsupported protocol " + Printable.quote(name) + " in " + Printable.quote(text)));
            if (i + 1 >= parts.length) {
                throw new InvalidMultiaddrException("missing value for " + protocol + " in " + Printable.quote(text));
            }
            components.add(Component.of(protocol, parts[i + 1]));
        }
        return new Multiaddr(List.copyOf(components));
    }

    /**
     * Parses the binary form.
     *
     * @throws InvalidMultiaddrException if it is empty, truncated, names an unsupported protocol or holds an
     *         invalid value
     */
    public static Multiaddr fromBytes(byte[] bytes) {
        if (bytes.length == 0) {
            throw new InvalidMultiaddrException("empty multiaddr");
        }
        List<Component> components = new ArrayList<>();
        int offset = 0;
        try {
            while (offset < bytes.length) {
                long code = Varint.decodeValue(bytes, offset, bytes.length);
                offset += Varint.encodedLength(code);
                Protocol protocol = Protocol.forCode(code).orElseThrow(() -> new InvalidMultiaddrException(
                        "unknown or unsupported protocol code " + code));
                long length = protocol.valueLength;
                if (protocol.valueLength == LENGTH_PREFIXED) {
                    length = Varint.decodeValue(bytes, offset, bytes.length);
                    offset += Varint.encodedLength(length);
                }
                if (length > bytes.length - offset) {
                    throw new InvalidMultiaddrException(protocol + " value of " + length + " bytes but only "
                            + (bytes.length - offset) + " remain");
                }
                components.add(Component.ofBinary(protocol, Arrays.copyOfRange(bytes, offset, offset + (int) length)));
                offset += (int) length;
            }
        } catch (InvalidVarintException e) {
            throw new InvalidMultiaddrException("malformed multiaddr: " + e.getMessage(), e);
        }
        return new Multiaddr(List.copyOf(components));
    }

    /** @return the components in order */
    public List<Component> components() {
        return components;
    }

    /** @return a copy of the binary form */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /**
     * @return this multiaddr ending in {@code /p2p/<peerId>}: the final {@code /p2p} component replaced if
     *         there is one, appended otherwise
     */
    public Multiaddr withPeerId(PeerId peerId) {
        List<Component> result = new ArrayList<>(components);
        if (result.get(result.size() - 1).protocol == Protocol.P2P) {
            result.remove(result.size() - 1);
        }
        result.add(Component.ofPeerId(peerId));
        return new Multiaddr(List.copyOf(result));
    }

    /**
     * @return this multiaddr without its final {@code /p2p/<peerId>} component (itself if it has none), the
     *         transport address a peer's {@code AddrInfo} lists
     */
    public Multiaddr withoutPeerId() {
        if (components.size() < 2 || components.get(components.size() - 1).protocol != Protocol.P2P) {
            return this;
        }
        return new Multiaddr(List.copyOf(components.subList(0, components.size() - 1)));
    }

    /** @return the peer id of the final {@code /p2p} component, if the multiaddr ends in one */
    public Optional<PeerId> peerId() {
        return components.get(components.size() - 1).peerId();
    }

    /** @return the value of a leading ip4, ip6 or dns component: the host to connect to */
    public Optional<String> host() {
        Component first = components.get(0);
        return switch (first.protocol) {
            case IP4, IP6, DNS, DNS4, DNS6 -> Optional.of(first.text);
            default -> Optional.empty();
        };
    }

    /** @return the port of the first {@code /tcp} component */
    public OptionalInt tcpPort() {
        return port(Protocol.TCP);
    }

    /** @return the port of the first {@code /udp} component */
    public OptionalInt udpPort() {
        return port(Protocol.UDP);
    }

    private OptionalInt port(Protocol protocol) {
        for (Component component : components) {
            if (component.protocol == protocol) {
                return OptionalInt.of((component.value[0] & 0xff) << 8 | (component.value[1] & 0xff));
            }
        }
        return OptionalInt.empty();
    }

    /** @return the canonical text form */
    @Override
    public String toString() {
        String s = string;
        if (s == null) {
            StringBuilder out = new StringBuilder();
            for (Component component : components) {
                out.append(component);
            }
            s = out.toString();
            string = s;
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multiaddr other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
