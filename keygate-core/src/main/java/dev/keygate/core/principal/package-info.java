/** Principals: who tokens belong to. */
package dev.keygate.core.principal;
