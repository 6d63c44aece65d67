/** The server's typed, validated, immutable configuration. */
package dev.keygate.server.config;
