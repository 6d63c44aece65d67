/** Alerts: the rules that watch verify events, their store, and signed webhook delivery. */
package dev.keygate.server.alert;
