#!/usr/bin/env python3
"""Regenerates params.txt, the table of PostgreSQL 12-19 configuration parameters.

Usage (as root, with PostgreSQL 15 server binaries installed):
    python3 crates/pgtls-audit/src/conf/params_regenerate.py > crates/pgtls-audit/src/conf/params.txt

Sources, in order of authority:
  1. A throw-away PostgreSQL 15 cluster: pg_settings gives name, type, enum values, min, max,
     unit, context and boot value; `postgres -C name -c name=value` probes the hidden enum
     aliases (on/true/yes/1/..., archive, hot_standby, debug, info) that pg_settings omits.
  2. The postgresql.conf.sample of each version (corpus/postgres/by-version/REL_14..19) for
     parameters added after 15 (name, default; "(change requires restart)" means postmaster).
  3. VERSION_FACTS below: additions and removals in 12-14 and parameters outside the samples,
     from the release notes (see docs/postgres-facts.md section 1 for the TLS ones).

Columns: name|type|context|unit|min|max|enum values (hidden ones prefixed ~)|first-last version|default
A type of `?` means the kind is not known precisely: the name is accepted and the value is not
checked, so a value is never refused on a guess.
"""
import os, re, subprocess, sys, tempfile

PG_BIN = "/usr/lib/postgresql/15/bin"
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "fixtures", "corpus")
HIDDEN_CANDIDATES = ["on", "off", "true", "false", "yes", "no", "1", "0", "debug", "info", "archive", "hot_standby"]

# First and last major version of parameters whose history the samples do not show.
VERSION_FACTS = {
    # added in 13
    **{n: (13, 19) for n in """autovacuum_vacuum_insert_threshold autovacuum_vacuum_insert_scale_factor
        backtrace_functions enable_incremental_sort hash_mem_multiplier ignore_invalid_pages
        log_min_duration_sample log_parameter_max_length log_parameter_max_length_on_error
        log_statement_sample_rate logical_decoding_work_mem maintenance_io_concurrency
        max_slot_wal_keep_size wal_keep_size wal_receiver_create_temp_slot wal_skip_threshold""".split()},
    # added in 14
    **{n: (14, 19) for n in """client_connection_check_interval compute_query_id debug_discard_caches
        default_toast_compression enable_async_append enable_memoize huge_page_size idle_session_timeout
        in_hot_standby log_recovery_conflict_waits min_dynamic_shared_memory recovery_init_sync_method
        remove_temp_files_after_crash ssl_crl_dir track_wal_io_timing vacuum_failsafe_age
        vacuum_multixact_failsafe_age""".split()},
    # added in 15
    **{n: (15, 19) for n in """archive_library log_startup_progress_interval recovery_prefetch
        recursive_worktable_factor stats_fetch_consistency wal_decode_buffer_size shared_memory_size
        shared_memory_size_in_huge_pages""".split()},
    # removed
    "stats_temp_directory": (12, 14),
    "force_parallel_mode": (12, 15),
    "promote_trigger_file": (12, 15),
    "vacuum_defer_cleanup_age": (12, 15),
    "lc_collate": (12, 15),
    "lc_ctype": (12, 15),
    "db_user_namespace": (12, 16),
    "old_snapshot_threshold": (12, 16),
    "trace_recovery_messages": (12, 16),
    "ssl_ecdh_curve": (12, 17),  # 18+: an alias of ssl_groups, handled in code
}

# Parameters that PostgreSQL 15 does not have and whose kind the samples do not make clear,
# or that matter to the TLS rules: given by hand from the release notes and docs.
EXTRA = [
    # name, type, context, unit, min, max, enumvals, first, last, default
    ("stats_temp_directory", "string", "sighup", "", "", "", "", 12, 14, "pg_stat_tmp"),
    ("wal_keep_segments", "integer", "sighup", "", "0", "2147483647", "", 12, 12, "0"),
    ("operator_precedence_warning", "bool", "user", "", "", "", "", 12, 13, "off"),
    ("vacuum_cleanup_index_scale_factor", "real", "user", "", "0", "1e+10", "", 12, 13, "0.1"),
    ("debug_parallel_query", "enum", "user", "", "", "", "off,on,regress,~true,~false,~yes,~no,~1,~0", 16, 19, "off"),
    ("debug_logical_replication_streaming", "enum", "user", "", "", "", "buffered,immediate", 16, 19, "buffered"),
    ("debug_io_direct", "string", "postmaster", "", "", "", "", 16, 19, ""),
    ("send_abort_for_crash", "bool", "sighup", "", "", "", "", 16, 19, "off"),
    ("send_abort_for_kill", "bool", "sighup", "", "", "", "", 16, 19, "off"),
    ("huge_pages_status", "enum", "internal", "", "", "", "off,on,unknown", 17, 19, "unknown"),
    ("trace_connection_negotiation", "bool", "postmaster", "", "", "", "", 17, 19, "off"),
    ("ssl_groups", "string", "sighup", "", "", "", "", 18, 19, "X25519:prime256v1"),
    ("ssl_tls13_ciphers", "string", "sighup", "", "", "", "", 18, 19, ""),
    ("ssl_sni", "bool", "sighup", "", "", "", "", 19, 19, "off"),
    ("hosts_file", "string", "postmaster", "", "", "", "", 19, 19, "ConfigDir/pg_hosts.conf"),
    ("md5_password_warnings", "bool", "user", "", "", "", "", 18, 19, "on"),
    ("password_expiration_warning_threshold", "integer", "sighup", "s", "0", "2147483647", "", 19, 19, "604800"),
    ("oauth_validator_libraries", "string", "sighup", "", "", "", "", 18, 19, ""),
    ("scram_iterations", "integer", "user", "", "1", "2147483647", "", 16, 19, "4096"),
    ("gss_accept_delegation", "bool", "sighup", "", "", "", "", 16, 19, "off"),
    # Parameters pg_settings hides (GUC_NO_SHOW_ALL).
    ("is_superuser", "bool", "internal", "", "", "", "", 12, 19, "off"),
    ("session_authorization", "string", "user", "", "", "", "", 12, 19, ""),
    ("role", "string", "user", "", "", "", "", 12, 19, "none"),
    ("seed", "real", "user", "", "-1", "1", "", 12, 19, "0"),
]

# Versions in which a PostgreSQL 15 parameter had another definition.
OVERRIDES = {
    # 12-13 accepted on/true/yes/1 as hidden aliases of md5, and md5 was the default.
    "password_encryption": [(12, 13, {"enumvals": "md5,scram-sha-256,~on,~true,~yes,~1", "default": "md5"}), (14, 19, {})],
    "ssl_min_protocol_version": [(12, 12, {"default": "TLSv1"}), (13, 19, {})],
    # wal_compression was a boolean until 14.
    "wal_compression": [(12, 14, {"type": "bool", "enumvals": "", "default": "off"}), (15, 19, {})],
    # log_connections became a list of aspects in 18.
    "log_connections": [(12, 17, {}), (18, 19, {"type": "string", "default": ""})],
}


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def start_cluster():
    root = tempfile.mkdtemp(prefix="pgtls-params-")
    os.chmod(root, 0o777)
    data = os.path.join(root, "data")
    sh(["runuser", "-u", "postgres", "--", f"{PG_BIN}/initdb", "-D", data, "-A", "trust", "-U", "postgres",
        "--no-sync", "-E", "UTF8", "--locale=C"], check=True)
    return root, data


def pg_settings(root, data):
    with open(os.path.join(data, "postgresql.conf"), "a") as f:
        f.write(f"\nlisten_addresses = ''\nport = 54998\nunix_socket_directories = '{root}'\n")
    sh(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D", data, "-l", f"{root}/log", "start", "-w"], check=True)
    try:
        out = sh([f"{PG_BIN}/psql", "-X", "-h", root, "-p", "54998", "-U", "postgres", "-At", "-F", "|", "-c",
                  "SELECT lower(name), vartype, coalesce(array_to_string(enumvals, ','), ''), coalesce(min_val, ''),"
                  " coalesce(max_val, ''), coalesce(unit, ''), context, coalesce(boot_val, '') FROM pg_settings ORDER BY 1"],
                 check=True).stdout
    finally:
        sh(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D", data, "stop", "-m", "fast", "-w"])
    return [line.split("|") for line in out.splitlines() if line]


def hidden_enum_values(data, name, visible):
    hidden = []
    for cand in HIDDEN_CANDIDATES:
        if cand in [v.lower() for v in visible]:
            continue
        r = sh(["runuser", "-u", "postgres", "--", f"{PG_BIN}/postgres", "-D", data, "-C", name, "-c", f"{name}={cand}"])
        if r.returncode == 0:
            hidden.append("~" + cand)
    return hidden


def sample_params(version):
    path = f"{CORPUS}/by-version/REL_{version}_STABLE/postgresql.conf.sample"
    params = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^#?([a-z_][a-z0-9_]*) = ('(?:[^']|'')*'|\S+)(.*)$", line.rstrip("\n"))
        if not m or m.group(1) in ("include", "include_dir", "include_if_exists"):
            continue
        value = m.group(2)
        if value.startswith("'"):
            value = value[1:-1].replace("''", "'")
        params[m.group(1)] = (value, "(change requires restart)" in m.group(3))
    return params


def kind_from_sample(value):
    """The kind of a parameter seen only in a sample, when the default makes it plain."""
    if value in ("on", "off"):
        return "bool", ""
    if re.fullmatch(r"-?\d+", value):
        # A plain number in the sample says nothing about units (transaction_timeout = 0 takes
        # "5s"): any memory or time unit is accepted.
        return "integer", "any"
    if re.fullmatch(r"-?\d+(kB|MB|GB|TB)", value):
        return "integer", "memory"
    if re.fullmatch(r"-?\d+(us|ms|s|min|h|d)", value):
        return "integer", "time"
    if re.fullmatch(r"-?\d*\.\d+", value):
        return "real", "any"
    return "?", ""


def main():
    root, data = start_cluster()
    rows = pg_settings(root, data)
    table = {}
    for name, vartype, enumvals, lo, hi, unit, context, boot in rows:
        if vartype == "enum":
            hidden = hidden_enum_values(data, name, enumvals.split(","))
            enumvals = ",".join(enumvals.split(",") + hidden)
        first, last = VERSION_FACTS.get(name, (12, 19))
        table[name] = dict(type=vartype, context=context, unit=unit, min=lo, max=hi, enumvals=enumvals,
                           first=first, last=last, default=boot)
    sh(["rm", "-rf", root])

    samples = {v: sample_params(v) for v in range(14, 20)}
    for v in range(16, 20):
        for name, (value, restart) in samples[v].items():
            if name in table:
                continue
            last = max(u for u in range(16, 20) if name in samples[u])
            # Parameters leaving the sample in 19 may still exist; keep them known to be safe.
            last = 19 if last == 18 else last
            kind, unit = kind_from_sample(value)
            table[name] = dict(type=kind, context="postmaster" if restart else "sighup", unit=unit, min="", max="",
                               enumvals="", first=v, last=last, default=value)
    for name, vartype, context, unit, lo, hi, enumvals, first, last, default in EXTRA:
        table[name] = dict(type=vartype, context=context, unit=unit, min=lo, max=hi, enumvals=enumvals,
                           first=first, last=last, default=default)

    lines = []
    for name in sorted(table):
        base = table[name]
        for first, last, changes in OVERRIDES.get(name, [(base["first"], base["last"], {})]):
            row = dict(base, first=max(first, base["first"]), last=min(last, base["last"]), **changes)
            lines.append("|".join([name, row["type"], row["context"], row["unit"], row["min"], row["max"],
                                   row["enumvals"], f"{row['first']}-{row['last']}", row["default"]]))
    print("# Generated by crates/pgtls-audit/src/conf/params_regenerate.py; see its docstring.")
    print("# name|type|context|unit|min|max|enum values (~hidden)|versions|default")
    print("\n".join(dict.fromkeys(lines)))


if __name__ == "__main__":
    main()
