package io.cairn.rpc.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Kubo's API rule against cross-site requests: a browser's {@code Origin} (or, without it, the
 * {@code Referer}'s origin) must be the API's own origin or one the operator allowed; requests
 * without either (curl, kubo-rpc-client in Node, ipfs-cluster) pass. The RPC and the Web Console
 * (io.cairn.console) apply the same rule.
 */
public final class OriginPolicy {
  private final List<String> allowed;

  /** {@code allowed}: origins already checked with {@link #validate}. */
  public OriginPolicy(List<String> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /** Normalises and checks one configured origin; {@code *} allows every origin. */
  public static String validate(String origin) {
    if (origin.equals("*")) {
      return origin;
    }
    String normalised = originOf(origin);
    if (normalised == null || !normalised.equals(stripTrailingSlash(origin).toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("'" + origin + "' is not an origin (scheme://host[:port])");
    }
    return normalised;
  }

  /** {@code serverOrigin} is the origin the request reached, e.g. {@code http://127.0.0.1:5001}. */
  public boolean permits(String originHeader, String refererHeader, String serverOrigin) {
    String origin;
    if (originHeader != null && !originHeader.isEmpty()) {
      origin = originHeader.equals("null") ? "null" : originOf(originHeader);
    } else if (refererHeader != null && !refererHeader.isEmpty()) {
      origin = originOf(refererHeader);
    } else {
      return true;
    }
    if (origin == null) {
      return false;
    }
    if (origin.equals(serverOrigin.toLowerCase(Locale.ROOT))) {
      return true;
    }
    for (String a : allowed) {
      if (a.equals("*") || a.equals(origin)) {
        return true;
      }
    }
    return false;
  }

  /** {@code scheme://host[:port]} of a URL, lower-cased; null when it has no scheme or host. */
  public static String originOf(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return null;
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      return uri.getPort() < 0 ? scheme + "://" + host : scheme + "://" + host + ":" + uri.getPort();
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String stripTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
