/** Tokens: their store, the service that mints and revokes them, and the verify path's view cache. */
package dev.keygate.server.token;
