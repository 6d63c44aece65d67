/** The relational store: pool, migrations, transactions. Each feature package holds its own store. */
package dev.keygate.server.store;
