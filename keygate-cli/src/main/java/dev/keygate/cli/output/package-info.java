/** How results are shown: aligned tables and detail views for people, stable JSON for scripts. */
package dev.keygate.cli.output;
