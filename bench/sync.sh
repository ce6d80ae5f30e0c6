#!/usr/bin/env bash
# Sync (issue: replicas kept in step through PostgreSQL): one replica pushes
# its whole change log (about 100,000 changes: a demo company) to a hub in a
# throwaway PostgreSQL 15 on loopback, then a new replica pulls it all and
# applies it (crm sync clone). Beside them, the practical limit: psql's \copy
# of the same rows into a table of the hub's shape (same unique key), and out
# of it again, as time ratios (crm's time over psql's).
# Usage: bench/sync.sh [ACCOUNTS]   (default 32000: about 100,000 changes)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
crm_need_swift
crm_need_packages "${CRM_BUILD_PACKAGES[@]}" postgresql-15 sqlite3
crm_bench_database "${1:-32000}"
crm_start_postgres
trap 'crm_stop_postgres; rm -rf "$out"' EXIT
export PGPASSWORD; PGPASSWORD=$(cat "$CRM_TEST_POSTGRES_PASSWORD_FILE")
export CRM_LANG=en
url="$CRM_TEST_POSTGRES"
psql=(psql -X -q -v ON_ERROR_STOP=1 "$url")
now() { date +%s.%N; }
secs() { /usr/bin/python3 -c "print(f'{$2 - $1:.2f}')"; }

changes=$(sqlite3 "$db" "SELECT count(*) FROM change_log")
"$crm" sync init-hub --db "$db" --postgres "$url" > /dev/null
t0=$(now); "$crm" sync --db "$db" --postgres "$url" --quiet; t1=$(now)
pushed=$("${psql[@]}" -At -c "SELECT count(*) FROM crm_hub.change")
t2=$(now); "$crm" sync clone --db "$out/replica.sqlite" --postgres "$url" --as "$(whoami)" > /dev/null; t3=$(now)
applied=$(sqlite3 "$out/replica.sqlite" "SELECT count(*) FROM account")

# The limit: the same rows out with \copy, and into a table of the same shape with \copy.
"${psql[@]}" -c "CREATE TABLE copy_peer (LIKE crm_hub.change INCLUDING ALL)"
t4=$(now); "${psql[@]}" -c "\\copy (SELECT replica, local_id, hlc, entity, row_uuid, op, field, value, zone FROM crm_hub.change ORDER BY txid, seq) TO '$out/changes.tsv'"; t5=$(now)
t6=$(now); "${psql[@]}" -c "\\copy copy_peer (replica, local_id, hlc, entity, row_uuid, op, field, value, zone) FROM '$out/changes.tsv'"; t7=$(now)

push=$(secs "$t0" "$t1"); pull=$(secs "$t2" "$t3"); copy_out=$(secs "$t4" "$t5"); copy_in=$(secs "$t6" "$t7")
echo "change log: $changes changes; on the hub: $pushed; accounts on the new replica: $applied of $(sqlite3 "$db" "SELECT count(*) FROM account")"
echo "push (crm sync):          ${push} s  ($(/usr/bin/python3 -c "print(round($pushed/$push))") changes/s)"
echo "psql \\copy into the table: ${copy_in} s  ($(/usr/bin/python3 -c "print(round($pushed/$copy_in))") rows/s)  time ratio crm/psql $(/usr/bin/python3 -c "print(f'{$push/$copy_in:.1f}')")"
echo "pull + apply (crm sync clone): ${pull} s  ($(/usr/bin/python3 -c "print(round($pushed/$pull))") changes/s)"
echo "psql \\copy out of the hub:     ${copy_out} s  ($(/usr/bin/python3 -c "print(round($pushed/$copy_out))") rows/s)  time ratio crm/psql $(/usr/bin/python3 -c "print(f'{$pull/$copy_out:.0f}')")"
