package io.cairn.console.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Cairn Web Console security",
    description = "Who may use the Felix Web Console at /system/console on the API address: one user with the password from a file in the node home (generated on first start), the RPC's Origin rule, a Host allow-list against DNS rebinding, and a growing wait after failed logins.")
@interface ConsoleSecurityConfig {
  @AttributeDefinition(name = "User name", description = "The one user of the console.")
  String username() default "admin";

  @AttributeDefinition(
      name = "Password file",
      description = "File holding the password on its first line, owner-only (mode 0600). Empty: console.password in the node home, generated with 144 random bits on first start. Edit the file to change the password; it applies at the next login.")
  String passwordFile() default "";

  @AttributeDefinition(
      name = "Allowed hosts",
      description = "Host names (besides localhost, *.localhost, IP address literals and the API address's own host) the console answers to; any other Host header is refused with 403, so a page that re-points its own name at this machine (DNS rebinding) cannot reach the console. * allows every name.")
  String[] allowedHosts() default {};

  @AttributeDefinition(
      name = "Allowed origins",
      description = "Browser origins (scheme://host[:port], or * for any) allowed to call the console besides its own, as the RPC's allowedOrigins; a request from another site's page is refused with 403.")
  String[] allowedOrigins() default {};

  @AttributeDefinition(
      name = "First login back-off (ms)", min = "1", max = "60000",
      description = "After a failed login, the client (its IPv4 address, or its IPv6 /64) must wait this long before the next attempt (429 Too Many Requests meanwhile); each further failure doubles the wait.")
  long loginBackoffMillis() default 1000;

  @AttributeDefinition(
      name = "Longest login back-off (ms)", min = "1000", max = "86400000",
      description = "The wait after failed logins grows to at most this. A successful login clears the client's failures; they are forgotten after twice this long without a new one.")
  long maxLoginBackoffMillis() default 300_000;

  @AttributeDefinition(
      name = "Tracked client addresses", min = "1", max = "1000000",
      description = "How many clients with failed logins are remembered at once (a client is an IPv4 address or an IPv6 /64, since an IPv6 host can take any address of its /64); beyond it the least recently seen is forgotten.")
  int trackedClients() default 10_000;

  @AttributeDefinition(
      name = "Refusal log interval (ms)", min = "0", max = "3600000",
      description = "At most one WARN line per this interval for each kind of refusal (a refused Host, a refused Origin, a failed login), naming the latest client; the next line of a kind counts those left out.")
  long refusalLogIntervalMillis() default 10_000;
}
