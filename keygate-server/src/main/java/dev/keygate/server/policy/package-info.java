/** Policy as a whole: explaining decisions, and planning and applying policy files. */
package dev.keygate.server.policy;
