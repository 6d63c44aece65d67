/** Principals: their store and service. */
package dev.keygate.server.principal;
