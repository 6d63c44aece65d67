/** Tokens: their format, checksum and hash, their records and the immutable views the verify path reads. */
package dev.keygate.core.token;
