/** The sealed family of domain errors, each with a stable code, mapped once to HTTP problem responses. */
package dev.keygate.core.error;
