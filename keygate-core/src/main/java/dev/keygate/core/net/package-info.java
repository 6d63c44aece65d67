/**
 * IP binding for tokens: IP address literals, CIDR ranges and the allow-list a token may be bound to. Pure
 * text and byte arithmetic: nothing here touches {@code java.net}, so no value can ever cause a DNS lookup.
 */
package dev.keygate.core.net;
