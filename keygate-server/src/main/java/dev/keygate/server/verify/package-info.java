/** The verify hot path. */
package dev.keygate.server.verify;
