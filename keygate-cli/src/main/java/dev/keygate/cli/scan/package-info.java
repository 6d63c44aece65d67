/**
 * {@code keygate scan}'s search for Keygate tokens: in files and directories ({@link FileWalker}) or in every blob of
 * a git repository's history ({@link GitHistory}), by shape and the offline checksum ({@link TokenFinder}). A
 * {@link Finding} keeps the hash of the token it found, never the token.
 */
package dev.keygate.cli.scan;
