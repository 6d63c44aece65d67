/**
 * The {@code keygate} command: its entry point ({@link dev.keygate.cli.Main}), the root command, how every
 * command reaches its environment ({@link dev.keygate.cli.CliContext}) and how errors become exit codes
 * ({@link dev.keygate.cli.ExitCodes}). The commands themselves are in {@code dev.keygate.cli.command}.
 */
package dev.keygate.cli;
