/** The pure verification decision and its codes. */
package dev.keygate.core.verify;
