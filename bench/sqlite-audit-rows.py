#!/usr/bin/env python3
"""What SQLite itself spends per verify row of audit_events, by index: the floor under the audit writer.

Inserts 200,000 verify-like rows (8 tokens, 4 addresses, a SHA-256 hex hash each) in transactions of 512, as the
audit writer does, into fresh WAL databases (synchronous=NORMAL, as Keygate opens them) with the schema as
migrated (V1, V7, V10) and with one change each; three rounds, interleaved; prints the median process CPU time
per row. Python's own per-row cost is in every figure alike, so the differences are SQLite's.

    python3 bench/sqlite-audit-rows.py
"""
import hashlib
import os
import sqlite3
import statistics
import tempfile
import time

N, BATCH = 200_000, 512
TOKENS = ["tok_01jf2k3m4n5p6q7r8s9t%04d" % i for i in range(8)]
ADDRESSES = ["10.1.2.3", "10.1.2.4", "192.0.2.7", "2001:db8::1"]
ROWS = [(1764700000000 + i // 10, "verify", TOKENS[i % 8], "bench-svc", TOKENS[i % 8], "bench.items:read", "allow",
         "VALID", "127.0.0.1", "keygate-bench", None, ADDRESSES[(i >> 3) % 4], "verify", i + 1,
         hashlib.sha256(str(i).encode()).hexdigest()) for i in range(N)]
TABLE = """CREATE TABLE audit_events (id INTEGER PRIMARY KEY {autoincrement}, time INTEGER NOT NULL,
    action TEXT NOT NULL, actor_token_id TEXT, actor_principal TEXT, target TEXT, permission TEXT,
    decision TEXT NOT NULL, code TEXT NOT NULL, client_ip TEXT, user_agent TEXT, detail TEXT, request_ip TEXT,
    chain TEXT, seq INTEGER, hash TEXT);
CREATE INDEX audit_actor_token ON audit_events (actor_token_id, id);
CREATE INDEX audit_target ON audit_events (target, id) WHERE action <> 'verify';
{principal}
CREATE INDEX audit_action ON audit_events (action, id) WHERE action <> 'verify';
CREATE INDEX audit_unchained ON audit_events (id) WHERE chain IS NULL;
{chain_seq}"""
PRINCIPAL = "CREATE INDEX audit_principal ON audit_events (actor_principal, id);"
CHAIN_SEQ = "CREATE UNIQUE INDEX audit_chain_seq ON audit_events (chain, seq);"
VARIANTS = {
    "as migrated": dict(autoincrement="AUTOINCREMENT", principal=PRINCIPAL, chain_seq=CHAIN_SEQ),
    "without AUTOINCREMENT": dict(autoincrement="", principal=PRINCIPAL, chain_seq=CHAIN_SEQ),
    "(chain, seq) not unique": dict(autoincrement="AUTOINCREMENT", principal=PRINCIPAL,
                                    chain_seq=CHAIN_SEQ.replace("UNIQUE ", "")),
    "(chain, seq) for admin only": dict(autoincrement="AUTOINCREMENT", principal=PRINCIPAL,
                                        chain_seq=CHAIN_SEQ.replace(";", " WHERE chain <> 'verify';")),
    "without the principal index": dict(autoincrement="AUTOINCREMENT", principal="", chain_seq=CHAIN_SEQ),
}


def run(schema, directory):
    path = os.path.join(directory, "audit.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=NORMAL")
    c.executescript(schema)
    insert = ("INSERT INTO audit_events (time, action, actor_token_id, actor_principal, target, permission, "
              "decision, code, client_ip, user_agent, detail, request_ip, chain, seq, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    started = time.process_time()
    for b in range(0, N, BATCH):
        c.execute("BEGIN IMMEDIATE")
        c.executemany(insert, ROWS[b:b + BATCH])
        c.execute("COMMIT")
    cpu = time.process_time() - started
    c.close()
    return cpu / N * 1e6


def main():
    print(f"SQLite {sqlite3.sqlite_version}, {N:,} rows in transactions of {BATCH}")
    results = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory() as directory:
        for _ in range(3):
            for name, parts in VARIANTS.items():
                results[name].append(run(TABLE.format(**parts), directory))
    for name, runs in results.items():
        print(f"{name:30} median {statistics.median(runs):.2f} us/row   ({' '.join(f'{r:.2f}' for r in runs)})")


if __name__ == "__main__":
    main()
