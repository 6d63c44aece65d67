/**
 * One class per {@code keygate} command. Admin commands extend {@link dev.keygate.cli.command.AdminCommand} and
 * call the server through {@code keygate-client}; {@code serve} and {@code admin-token} use {@code keygate-server}
 * directly.
 */
package dev.keygate.cli.command;
