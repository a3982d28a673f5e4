/* The schema, for both backends, side by side: a change is made to both
 * at once and bumps SCHEMA_VERSION (db/schema.h).
 *
 * SQLite: sqlite_migrations[v] takes a database from version v to v+1
 * (PRAGMA user_version); entries are never edited once shipped.
 * PostgreSQL: support began at version 4, so pg_schema creates version 4
 * from nothing and pg_migrations[v - 4] takes it on from v.
 *
 * Tables:
 *   scans        one row per scan: status, what was asked, its scope (what
 *                it covers: scans of the same scope compare), an optional
 *                name that separate processes meet by
 *   scan_parts   what a scan is made of (shards, collectors of a scan
 *                configuration, sites, imported files); a scan is complete
 *                only when every part is, and then attributed
 *   evidence     raw facts, append-only per part, values as bytes
 *   targets      what happened to each polled address
 *   scan_resume  where a part's sweep stands (positions in its order)
 *   devices      attribution's verdicts per scan (replaced on
 *                reattribute), with the claims behind each (claims) and
 *                its components (components) as typed rows
 *   device_counts, firmware_counts   a scan's devices counted once per
 *                attribution, for report summaries and trends
 *
 * On PostgreSQL the database is SQL_ASCII (checked when it is opened):
 * text holds any bytes but NUL, so a string from a device (a Latin-1
 * sysDescr, a serial with stray bytes) is stored exactly, as SQLite stores
 * it; every text column is COLLATE "C", compared and ordered byte by byte
 * as SQLite does. Evidence values (which may hold NULs) are bytea. The
 * large tables carry no foreign keys there (a check per row would halve
 * the rate collectors write at); the store deletes a scan's rows itself,
 * in one transaction.
 */
#include <stddef.h>

#include "schema.h"

#define COUNT_DEVICES_SQLITE                                                                           \
	"SELECT scan_id,domain,site,operator,vendor,grp,jurisdiction,function,"                        \
	" CASE WHEN vendor IS NULL THEN 0 WHEN confidence>=80 THEN 3 WHEN confidence>=50 THEN 2 ELSE 1 END," \
	" count(*) FROM devices"
#define COUNT_FIRMWARE_SQLITE \
	"SELECT scan_id,operator,vendor,model,firmware,count(*) FROM devices WHERE vendor IS NOT NULL"

const char *const sqlite_migrations[SCHEMA_VERSION] = {
	/* 0 -> 1: the first schema */
	"CREATE TABLE scans("
	"  id INTEGER PRIMARY KEY,"
	"  started_us INTEGER NOT NULL,"
	"  ended_us INTEGER,"
	"  status TEXT NOT NULL CHECK (status IN ('running','complete','failed','interrupted')),"
	"  command TEXT NOT NULL,"
	"  request TEXT NOT NULL,"
	"  kb_version TEXT NOT NULL,"
	"  host TEXT, pid INTEGER,"
	"  note TEXT,"
	"  attrib_kb TEXT,"
	"  attrib_as_of INTEGER);"
	"CREATE TABLE evidence("
	"  id INTEGER PRIMARY KEY,"
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  collector TEXT NOT NULL,"
	"  subject_kind TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  value BLOB NOT NULL,"
	"  seen_us INTEGER NOT NULL,"
	"  source TEXT);"
	"CREATE INDEX evidence_by_subject ON evidence(scan_id, subject_kind, subject, id);"
	"CREATE TABLE targets("
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  address TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  detail TEXT, credential TEXT,"
	"  PRIMARY KEY (scan_id, address));"
	"CREATE TABLE devices("
	"  id INTEGER PRIMARY KEY,"
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  identity TEXT NOT NULL,"
	"  address TEXT, addresses TEXT,"
	"  vendor TEXT, vendor_name TEXT, name_seen TEXT, grp TEXT, jurisdiction TEXT,"
	"  product TEXT, model TEXT, firmware TEXT, role TEXT, function TEXT,"
	"  domain TEXT, site TEXT, operator TEXT,"
	"  confidence INTEGER NOT NULL DEFAULT 0,"
	"  verdict TEXT);"
	"CREATE INDEX devices_by_scan ON devices(scan_id, identity);",
	/* 1 -> 2: reports, diffs and history (issue 7): the site map, where
	 * a domain came from, parts of another maker; verdict JSON in its own
	 * table; counts per attribution; lookups across scans. */
	"ALTER TABLE scans ADD COLUMN site_map TEXT;"
	"ALTER TABLE scans ADD COLUMN n_evidence INTEGER;"
	"ALTER TABLE scans ADD COLUMN n_targets INTEGER;"
	"ALTER TABLE scans ADD COLUMN n_answered INTEGER;"
	"ALTER TABLE devices ADD COLUMN domain_from TEXT;"
	"ALTER TABLE devices ADD COLUMN foreign_parts INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE devices ADD COLUMN foreign_vendors TEXT;"
	"CREATE TABLE verdicts("
	"  device_id INTEGER PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,"
	"  verdict TEXT NOT NULL);"
	"INSERT INTO verdicts SELECT id, verdict FROM devices WHERE verdict IS NOT NULL;"
	"ALTER TABLE devices DROP COLUMN verdict;"
	"CREATE TABLE device_counts("
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  domain TEXT, site TEXT, operator TEXT, vendor TEXT, grp TEXT, jurisdiction TEXT, function TEXT,"
	"  band INTEGER NOT NULL,"
	"  n INTEGER NOT NULL);"
	"CREATE INDEX device_counts_by_scan ON device_counts(scan_id);"
	"INSERT INTO device_counts " COUNT_DEVICES_SQLITE " GROUP BY 1,2,3,4,5,6,7,8,9;"
	"CREATE TABLE firmware_counts("
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  operator TEXT, vendor TEXT NOT NULL, model TEXT, firmware TEXT, n INTEGER NOT NULL);"
	"CREATE INDEX firmware_counts_by_scan ON firmware_counts(scan_id);"
	"INSERT INTO firmware_counts " COUNT_FIRMWARE_SQLITE " GROUP BY 1,2,3,4,5;"
	"CREATE INDEX devices_with_foreign_parts ON devices(scan_id) WHERE foreign_parts>0;"
	"CREATE INDEX devices_unattributed ON devices(scan_id) WHERE vendor IS NULL;"
	"CREATE INDEX devices_by_scan_id ON devices(scan_id);"
	"CREATE INDEX devices_by_identity ON devices(identity);"
	"CREATE INDEX devices_by_address ON devices(address);",
	/* 2 -> 3: where an interrupted sweep stands, so it can be resumed */
	"CREATE TABLE scan_resume("
	"  scan_id INTEGER PRIMARY KEY REFERENCES scans(id) ON DELETE CASCADE,"
	"  done_below INTEGER NOT NULL,"
	"  granted INTEGER NOT NULL,"
	"  updated_us INTEGER NOT NULL);",
	/* 3 -> 4: scans made of parts, typed verdicts (issue 13).
	 * Every existing scan becomes a scan of one part, 'main', with the
	 * scan's own status; its evidence keeps part_id NULL (the scan's only
	 * part). The plan moves out of the request JSON into a column, and
	 * the scope (what a scan covers, for like-with-like diffs) of an old
	 * scan is its command and plan, as diffs compared them before. The
	 * verdict JSON becomes rows of claims and components, a disputed
	 * column and the identifiers' JSON list (shown, never queried). */
	"ALTER TABLE scans ADD COLUMN plan TEXT;"
	"UPDATE scans SET plan=json_extract(request,'$.plan')"
	"  WHERE json_valid(request) AND json_type(request,'$.plan')='text';"
	"ALTER TABLE scans ADD COLUMN name TEXT;"
	"CREATE UNIQUE INDEX scans_by_name ON scans(name) WHERE name IS NOT NULL;"
	"ALTER TABLE scans ADD COLUMN scope TEXT;"
	"UPDATE scans SET scope=command||':'||COALESCE(plan,'');"
	"CREATE TABLE scan_parts("
	"  id INTEGER PRIMARY KEY,"
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('pending','running','complete','failed','interrupted')),"
	"  started_us INTEGER, ended_us INTEGER,"
	"  host TEXT, pid INTEGER, db_user TEXT,"
	"  note TEXT,"
	"  request TEXT,"
	"  site TEXT, operator TEXT, collector_host TEXT, originscan_version TEXT, kb_version TEXT,"
	"  source_digest TEXT,"
	"  batches INTEGER NOT NULL DEFAULT 0,"
	"  n_evidence INTEGER, n_targets INTEGER, n_answered INTEGER,"
	"  UNIQUE (scan_id, name));"
	"CREATE UNIQUE INDEX scan_parts_by_source ON scan_parts(source_digest) WHERE source_digest IS NOT NULL;"
	"INSERT INTO scan_parts(scan_id,name,status,started_us,ended_us,host,pid,note,kb_version,"
	"  n_evidence,n_targets,n_answered)"
	"  SELECT id,'main',status,started_us,ended_us,host,pid,note,kb_version,n_evidence,n_targets,n_answered"
	"  FROM scans;"
	"ALTER TABLE evidence ADD COLUMN part_id INTEGER;"
	"CREATE INDEX evidence_by_part ON evidence(part_id) WHERE part_id IS NOT NULL;"
	/* targets per part: two sites may poll the same private address */
	"CREATE TABLE targets4("
	"  scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  part_id INTEGER NOT NULL,"
	"  address TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  detail TEXT, credential TEXT,"
	"  PRIMARY KEY (scan_id, part_id, address));"
	"INSERT INTO targets4 SELECT t.scan_id, p.id, t.address, t.state, t.detail, t.credential"
	"  FROM targets t JOIN scan_parts p ON p.scan_id=t.scan_id;"
	"DROP TABLE targets;"
	"ALTER TABLE targets4 RENAME TO targets;"
	/* the resume point is a part's */
	"CREATE TABLE part_resume("
	"  part_id INTEGER PRIMARY KEY REFERENCES scan_parts(id) ON DELETE CASCADE,"
	"  done_below INTEGER NOT NULL,"
	"  granted INTEGER NOT NULL,"
	"  updated_us INTEGER NOT NULL);"
	"INSERT INTO part_resume SELECT p.id, r.done_below, r.granted, r.updated_us"
	"  FROM scan_resume r JOIN scan_parts p ON p.scan_id=r.scan_id;"
	"DROP TABLE scan_resume;"
	/* brand and maker apart (an HP-branded switch H3C made), a maker
	 * known only from the registries, and the makers a policy calls
	 * high-risk that weak or outvoted evidence named ("possibly X") */
	"ALTER TABLE devices ADD COLUMN brand TEXT;"
	"ALTER TABLE devices ADD COLUMN registry_only INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE devices ADD COLUMN possibly TEXT;"
	"ALTER TABLE devices ADD COLUMN disputed INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE devices ADD COLUMN identifiers TEXT;"
	"CREATE TABLE claims("
	"  scan_id INTEGER NOT NULL,"
	"  device_id INTEGER NOT NULL,"
	"  ord INTEGER NOT NULL,"
	"  key TEXT, value TEXT, source TEXT, basis TEXT,"
	"  vendor TEXT, name_seen TEXT, product TEXT, model TEXT, firmware TEXT, role TEXT,"
	"  weight INTEGER NOT NULL DEFAULT 0,"
	"  evidence_id INTEGER,"
	"  nic_only INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (scan_id, device_id, ord)) WITHOUT ROWID;"
	"CREATE TABLE components("
	"  scan_id INTEGER NOT NULL,"
	"  device_id INTEGER NOT NULL,"
	"  ord INTEGER NOT NULL,"
	"  idx INTEGER, class INTEGER, contained_in INTEGER,"
	"  chassis INTEGER NOT NULL DEFAULT 0,"
	"  name TEXT, descr TEXT, mfg TEXT, vendor TEXT, model TEXT, serial TEXT,"
	"  hardware_rev TEXT, firmware_rev TEXT, software_rev TEXT,"
	"  PRIMARY KEY (scan_id, device_id, ord)) WITHOUT ROWID;"
	/* the stored verdicts, taken apart once, here, by SQLite's JSON1 */
	"UPDATE devices SET identifiers=(SELECT json_extract(verdict,'$.identifiers') FROM verdicts"
	"  WHERE device_id=devices.id AND json_valid(verdict));"
	"UPDATE devices SET disputed=1 WHERE id IN"
	"  (SELECT device_id FROM verdicts WHERE json_valid(verdict) AND json_extract(verdict,'$.disputed')=1);"
	"INSERT INTO claims SELECT d.scan_id, v.device_id, j.key,"
	"  json_extract(j.value,'$.key'), json_extract(j.value,'$.value'), json_extract(j.value,'$.source'),"
	"  json_extract(j.value,'$.basis'), json_extract(j.value,'$.vendor'), json_extract(j.value,'$.name_seen'),"
	"  json_extract(j.value,'$.product'), json_extract(j.value,'$.model'), json_extract(j.value,'$.firmware'),"
	"  json_extract(j.value,'$.role'), COALESCE(json_extract(j.value,'$.weight'),0),"
	"  json_extract(j.value,'$.evidence_id'), COALESCE(json_extract(j.value,'$.nic_only'),0)"
	"  FROM verdicts v JOIN devices d ON d.id=v.device_id, json_each(v.verdict,'$.claims') j"
	"  WHERE json_valid(v.verdict) AND json_type(j.value)='object';"
	"INSERT INTO components SELECT d.scan_id, v.device_id, j.key,"
	"  json_extract(j.value,'$.index'), json_extract(j.value,'$.class'), json_extract(j.value,'$.contained_in'),"
	"  COALESCE(json_extract(j.value,'$.chassis'),0),"
	"  json_extract(j.value,'$.name'), json_extract(j.value,'$.descr'), json_extract(j.value,'$.mfg'),"
	"  json_extract(j.value,'$.vendor'), json_extract(j.value,'$.model'), json_extract(j.value,'$.serial'),"
	"  json_extract(j.value,'$.hardware_rev'), json_extract(j.value,'$.firmware_rev'),"
	"  json_extract(j.value,'$.software_rev')"
	"  FROM verdicts v JOIN devices d ON d.id=v.device_id, json_each(v.verdict,'$.components') j"
	"  WHERE json_valid(v.verdict) AND json_type(j.value)='object';"
	"DROP TABLE verdicts;"
	"CREATE INDEX devices_disputed ON devices(scan_id) WHERE disputed=1;",
};

/* PostgreSQL, version 4 from nothing. */
const char pg_schema[] =
	"CREATE TABLE originscan_meta("
	"  key text COLLATE \"C\" PRIMARY KEY,"
	"  value text COLLATE \"C\" NOT NULL);"
	"CREATE TABLE scans("
	"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  started_us bigint NOT NULL,"
	"  ended_us bigint,"
	"  status text COLLATE \"C\" NOT NULL CHECK (status IN ('running','complete','failed','interrupted')),"
	"  command text COLLATE \"C\" NOT NULL,"
	"  request text COLLATE \"C\" NOT NULL,"
	"  kb_version text COLLATE \"C\" NOT NULL,"
	"  host text COLLATE \"C\", pid bigint,"
	"  note text COLLATE \"C\","
	"  attrib_kb text COLLATE \"C\","
	"  attrib_as_of integer,"
	"  site_map text COLLATE \"C\","
	"  n_evidence bigint, n_targets bigint, n_answered bigint,"
	"  plan text COLLATE \"C\","
	"  name text COLLATE \"C\" UNIQUE,"
	"  scope text COLLATE \"C\");"
	"CREATE TABLE scan_parts("
	"  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  scan_id bigint NOT NULL REFERENCES scans(id) ON DELETE CASCADE,"
	"  name text COLLATE \"C\" NOT NULL,"
	"  status text COLLATE \"C\" NOT NULL CHECK (status IN ('pending','running','complete','failed','interrupted')),"
	"  started_us bigint, ended_us bigint,"
	"  host text COLLATE \"C\", pid bigint, db_user text COLLATE \"C\","
	"  note text COLLATE \"C\","
	"  request text COLLATE \"C\","
	"  site text COLLATE \"C\", operator text COLLATE \"C\", collector_host text COLLATE \"C\", originscan_version text COLLATE \"C\", kb_version text COLLATE \"C\","
	"  source_digest text COLLATE \"C\" UNIQUE,"
	"  batches bigint NOT NULL DEFAULT 0,"
	"  n_evidence bigint, n_targets bigint, n_answered bigint,"
	"  UNIQUE (scan_id, name));"
	"CREATE TABLE evidence("
	"  id bigint GENERATED BY DEFAULT AS IDENTITY (CACHE 1000) PRIMARY KEY,"
	"  scan_id bigint NOT NULL,"
	"  collector text COLLATE \"C\" NOT NULL,"
	"  subject_kind text COLLATE \"C\" NOT NULL,"
	"  subject text COLLATE \"C\" NOT NULL,"
	"  key text COLLATE \"C\" NOT NULL,"
	"  value bytea NOT NULL,"
	"  seen_us bigint NOT NULL,"
	"  source text COLLATE \"C\","
	"  part_id bigint);"
	"CREATE INDEX evidence_by_subject ON evidence(scan_id, subject_kind, subject, id);"
	"CREATE INDEX evidence_by_part ON evidence(part_id);"
	"CREATE TABLE targets("
	"  scan_id bigint NOT NULL,"
	"  part_id bigint NOT NULL,"
	"  address text COLLATE \"C\" NOT NULL,"
	"  state text COLLATE \"C\" NOT NULL,"
	"  detail text COLLATE \"C\", credential text COLLATE \"C\","
	"  PRIMARY KEY (scan_id, part_id, address));"
	"CREATE TABLE part_resume("
	"  part_id bigint PRIMARY KEY REFERENCES scan_parts(id) ON DELETE CASCADE,"
	"  done_below bigint NOT NULL,"
	"  granted bigint NOT NULL,"
	"  updated_us bigint NOT NULL);"
	"CREATE TABLE devices("
	"  id bigint GENERATED BY DEFAULT AS IDENTITY (CACHE 1000) PRIMARY KEY,"
	"  scan_id bigint NOT NULL,"
	"  identity text COLLATE \"C\" NOT NULL,"
	"  address text COLLATE \"C\", addresses text COLLATE \"C\","
	"  vendor text COLLATE \"C\", vendor_name text COLLATE \"C\", name_seen text COLLATE \"C\", grp text COLLATE \"C\", jurisdiction text COLLATE \"C\","
	"  product text COLLATE \"C\", model text COLLATE \"C\", firmware text COLLATE \"C\", role text COLLATE \"C\", function text COLLATE \"C\","
	"  domain text COLLATE \"C\", site text COLLATE \"C\", operator text COLLATE \"C\","
	"  confidence integer NOT NULL DEFAULT 0,"
	"  domain_from text COLLATE \"C\","
	"  foreign_parts integer NOT NULL DEFAULT 0,"
	"  foreign_vendors text COLLATE \"C\","
	"  disputed integer NOT NULL DEFAULT 0,"
	"  brand text COLLATE \"C\","
	"  registry_only integer NOT NULL DEFAULT 0,"
	"  possibly text COLLATE \"C\","
	"  identifiers text COLLATE \"C\");"
	"CREATE INDEX devices_by_scan ON devices(scan_id, id);"
	"CREATE INDEX devices_by_scan_identity ON devices(scan_id, identity, id);"
	"CREATE INDEX devices_with_foreign_parts ON devices(scan_id, id) WHERE foreign_parts>0;"
	"CREATE INDEX devices_unattributed ON devices(scan_id, id) WHERE vendor IS NULL;"
	"CREATE INDEX devices_disputed ON devices(scan_id, id) WHERE disputed=1;"
	"CREATE INDEX devices_by_identity ON devices(identity);"
	"CREATE INDEX devices_by_address ON devices(address);"
	"CREATE TABLE claims("
	"  scan_id bigint NOT NULL,"
	"  device_id bigint NOT NULL,"
	"  ord integer NOT NULL,"
	"  key text COLLATE \"C\", value text COLLATE \"C\", source text COLLATE \"C\", basis text COLLATE \"C\","
	"  vendor text COLLATE \"C\", name_seen text COLLATE \"C\", product text COLLATE \"C\", model text COLLATE \"C\", firmware text COLLATE \"C\", role text COLLATE \"C\","
	"  weight integer NOT NULL DEFAULT 0,"
	"  evidence_id bigint,"
	"  nic_only integer NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (scan_id, device_id, ord));"
	"CREATE TABLE components("
	"  scan_id bigint NOT NULL,"
	"  device_id bigint NOT NULL,"
	"  ord integer NOT NULL,"
	"  idx bigint, class bigint, contained_in bigint,"
	"  chassis integer NOT NULL DEFAULT 0,"
	"  name text COLLATE \"C\", descr text COLLATE \"C\", mfg text COLLATE \"C\", vendor text COLLATE \"C\", model text COLLATE \"C\", serial text COLLATE \"C\","
	"  hardware_rev text COLLATE \"C\", firmware_rev text COLLATE \"C\", software_rev text COLLATE \"C\","
	"  PRIMARY KEY (scan_id, device_id, ord));"
	"CREATE TABLE device_counts("
	"  scan_id bigint NOT NULL,"
	"  domain text COLLATE \"C\", site text COLLATE \"C\", operator text COLLATE \"C\", vendor text COLLATE \"C\", grp text COLLATE \"C\", jurisdiction text COLLATE \"C\", function text COLLATE \"C\","
	"  band integer NOT NULL,"
	"  n bigint NOT NULL);"
	"CREATE INDEX device_counts_by_scan ON device_counts(scan_id);"
	"CREATE TABLE firmware_counts("
	"  scan_id bigint NOT NULL,"
	"  operator text COLLATE \"C\", vendor text COLLATE \"C\" NOT NULL, model text COLLATE \"C\", firmware text COLLATE \"C\", n bigint NOT NULL);"
	"CREATE INDEX firmware_counts_by_scan ON firmware_counts(scan_id);";

const char *const pg_migrations[SCHEMA_VERSION - PG_FIRST_VERSION + 1] = {
	NULL,   /* 4: pg_schema */
};

/* The three roles (cluster-wide, made once; NOLOGIN: people and machines
 * log in as their own roles and are granted one of these):
 *   originscan_admin      owns the schema: migrations, prune, reattribute
 *   originscan_collector  declares scans, writes the evidence of its own
 *                         parts, completes them and attributes a scan whose
 *                         last part it completed; never deletes or rewrites
 *                         what is stored (a resumed part drops its own
 *                         half-polled rows through a function that checks)
 *   originscan_reader     reads: reports, diffs, history */
const char pg_roles[] =
	"DO $$ BEGIN"
	"  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='originscan_admin') THEN"
	"    CREATE ROLE originscan_admin NOLOGIN; END IF;"
	"  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='originscan_collector') THEN"
	"    CREATE ROLE originscan_collector NOLOGIN; END IF;"
	"  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='originscan_reader') THEN"
	"    CREATE ROLE originscan_reader NOLOGIN; END IF;"
	"END $$;";

/* Run as originscan_admin, the owner, after the schema exists (and again
 * after each migration: grants are re-stated, never narrowed by hand). */
const char pg_grants[] =
	"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;"
	"GRANT SELECT ON ALL TABLES IN SCHEMA public TO originscan_reader, originscan_collector;"
	"GRANT INSERT ON scans, scan_parts, evidence, targets, part_resume, devices, claims, components,"
	"  device_counts, firmware_counts TO originscan_collector;"
	"GRANT UPDATE (status, ended_us, note, n_evidence, n_targets, n_answered, attrib_kb, attrib_as_of, site_map)"
	"  ON scans TO originscan_collector;"
	"GRANT UPDATE (status, started_us, ended_us, host, pid, db_user, note, request, site, operator, collector_host,"
	"  originscan_version, kb_version, source_digest, batches, n_evidence, n_targets, n_answered)"
	"  ON scan_parts TO originscan_collector;"
	"GRANT UPDATE (state, detail, credential) ON targets TO originscan_collector;"
	"GRANT UPDATE (done_below, granted, updated_us) ON part_resume TO originscan_collector;"
	"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO originscan_collector;"
	/* row security: a collector changes only its own parts, and the
	 * scans that hold one of them */
	"ALTER TABLE scan_parts ENABLE ROW LEVEL SECURITY;"
	"ALTER TABLE scans ENABLE ROW LEVEL SECURITY;"
	"ALTER TABLE targets ENABLE ROW LEVEL SECURITY;"
	"ALTER TABLE part_resume ENABLE ROW LEVEL SECURITY;"
	"DROP POLICY IF EXISTS read_all ON scan_parts;"
	"CREATE POLICY read_all ON scan_parts FOR SELECT USING (true);"
	"DROP POLICY IF EXISTS admin_all ON scan_parts;"
	"CREATE POLICY admin_all ON scan_parts TO originscan_admin USING (true) WITH CHECK (true);"
	"DROP POLICY IF EXISTS collector_insert ON scan_parts;"
	"CREATE POLICY collector_insert ON scan_parts FOR INSERT TO originscan_collector"
	"  WITH CHECK (status = 'pending' OR db_user = current_user);"
	"DROP POLICY IF EXISTS collector_update ON scan_parts;"
	"CREATE POLICY collector_update ON scan_parts FOR UPDATE TO originscan_collector"
	"  USING (status = 'pending' OR (db_user = current_user AND status <> 'complete'))"
	"  WITH CHECK (db_user = current_user);"
	"DROP POLICY IF EXISTS read_all ON scans;"
	"CREATE POLICY read_all ON scans FOR SELECT USING (true);"
	"DROP POLICY IF EXISTS admin_all ON scans;"
	"CREATE POLICY admin_all ON scans TO originscan_admin USING (true) WITH CHECK (true);"
	"DROP POLICY IF EXISTS collector_insert ON scans;"
	"CREATE POLICY collector_insert ON scans FOR INSERT TO originscan_collector WITH CHECK (status = 'running');"
	"DROP POLICY IF EXISTS collector_update ON scans;"
	"CREATE POLICY collector_update ON scans FOR UPDATE TO originscan_collector"
	"  USING (status <> 'complete' AND EXISTS (SELECT 1 FROM scan_parts p WHERE p.scan_id = scans.id"
	"    AND p.db_user = current_user))"
	"  WITH CHECK (true);"
	"DROP POLICY IF EXISTS read_all ON targets;"
	"CREATE POLICY read_all ON targets FOR SELECT USING (true);"
	"DROP POLICY IF EXISTS admin_all ON targets;"
	"CREATE POLICY admin_all ON targets TO originscan_admin USING (true) WITH CHECK (true);"
	"DROP POLICY IF EXISTS collector_write ON targets;"
	"CREATE POLICY collector_write ON targets FOR INSERT TO originscan_collector"
	"  WITH CHECK (EXISTS (SELECT 1 FROM scan_parts p WHERE p.id = targets.part_id AND p.db_user = current_user"
	"    AND p.status = 'running'));"
	"DROP POLICY IF EXISTS collector_update ON targets;"
	"CREATE POLICY collector_update ON targets FOR UPDATE TO originscan_collector"
	"  USING (EXISTS (SELECT 1 FROM scan_parts p WHERE p.id = targets.part_id AND p.db_user = current_user"
	"    AND p.status = 'running'));"
	"DROP POLICY IF EXISTS read_all ON part_resume;"
	"CREATE POLICY read_all ON part_resume FOR SELECT USING (true);"
	"DROP POLICY IF EXISTS admin_all ON part_resume;"
	"CREATE POLICY admin_all ON part_resume TO originscan_admin USING (true) WITH CHECK (true);"
	"DROP POLICY IF EXISTS collector_write ON part_resume;"
	"CREATE POLICY collector_write ON part_resume TO originscan_collector"
	"  USING (EXISTS (SELECT 1 FROM scan_parts p WHERE p.id = part_resume.part_id AND p.db_user = current_user"
	"    AND p.status = 'running'))"
	"  WITH CHECK (EXISTS (SELECT 1 FROM scan_parts p WHERE p.id = part_resume.part_id"
	"    AND p.db_user = current_user AND p.status = 'running'));"
	/* what a resumed or re-run part drops of its own rows: only through
	 * this function, only for a part running under the caller's role */
	"CREATE OR REPLACE FUNCTION originscan_drop_part_rows(p_part bigint, p_sources text)"
	"  RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$"
	"DECLARE n bigint;"
	"BEGIN"
	"  IF NOT EXISTS (SELECT 1 FROM scan_parts WHERE id = p_part AND status = 'running'"
	"      AND (db_user = session_user OR pg_has_role(session_user, 'originscan_admin', 'MEMBER'))) THEN"
	"    RAISE EXCEPTION 'part % is not running under role %', p_part, session_user USING ERRCODE = '42501';"
	"  END IF;"
	"  IF p_sources IS NULL THEN"
	"    DELETE FROM evidence WHERE part_id = p_part;"
	"    GET DIAGNOSTICS n = ROW_COUNT;"
	"    DELETE FROM targets WHERE part_id = p_part;"
	"    DELETE FROM part_resume WHERE part_id = p_part;"
	"  ELSE"
	"    DELETE FROM evidence WHERE part_id = p_part AND source IN"
	"      (SELECT value FROM json_array_elements_text(p_sources::json));"
	"    GET DIAGNOSTICS n = ROW_COUNT;"
	"  END IF;"
	"  RETURN n;"
	"END $f$;"
	"REVOKE ALL ON FUNCTION originscan_drop_part_rows(bigint, text) FROM PUBLIC;"
	"GRANT EXECUTE ON FUNCTION originscan_drop_part_rows(bigint, text) TO originscan_collector, originscan_admin;"
	/* Evidence and verdicts arrive by COPY, which row security does not
	 * allow: a check per statement instead, over the rows it brought. A
	 * collector writes evidence only into parts running under its role,
	 * and verdicts only of unfinished scans holding one of its parts. */
	"CREATE OR REPLACE FUNCTION originscan_check_evidence() RETURNS trigger LANGUAGE plpgsql AS $f$"
	"BEGIN"
	"  IF pg_has_role(current_user, 'originscan_admin', 'MEMBER') THEN RETURN NULL; END IF;"
	"  IF EXISTS (SELECT 1 FROM (SELECT DISTINCT scan_id, part_id FROM new_rows) n"
	"      LEFT JOIN scan_parts p ON p.id = n.part_id AND p.scan_id = n.scan_id"
	"      WHERE p.id IS NULL OR p.status <> 'running' OR p.db_user <> current_user) THEN"
	"    RAISE EXCEPTION 'evidence for a part that is not running under role %', current_user"
	"      USING ERRCODE = '42501';"
	"  END IF;"
	"  RETURN NULL;"
	"END $f$;"
	"CREATE OR REPLACE FUNCTION originscan_check_verdicts() RETURNS trigger LANGUAGE plpgsql AS $f$"
	"BEGIN"
	"  IF pg_has_role(current_user, 'originscan_admin', 'MEMBER') THEN RETURN NULL; END IF;"
	"  IF EXISTS (SELECT 1 FROM (SELECT DISTINCT scan_id FROM new_rows) n JOIN scans s ON s.id = n.scan_id"
	"      WHERE s.status = 'complete' OR NOT EXISTS (SELECT 1 FROM scan_parts p"
	"        WHERE p.scan_id = n.scan_id AND p.db_user = current_user)) THEN"
	"    RAISE EXCEPTION 'verdicts for a scan role % has no part in, or a complete one', current_user"
	"      USING ERRCODE = '42501';"
	"  END IF;"
	"  RETURN NULL;"
	"END $f$;"
	"DROP TRIGGER IF EXISTS check_parts ON evidence;"
	"CREATE TRIGGER check_parts AFTER INSERT ON evidence REFERENCING NEW TABLE AS new_rows"
	"  FOR EACH STATEMENT EXECUTE FUNCTION originscan_check_evidence();"
	"DROP TRIGGER IF EXISTS check_scan ON devices;"
	"CREATE TRIGGER check_scan AFTER INSERT ON devices REFERENCING NEW TABLE AS new_rows"
	"  FOR EACH STATEMENT EXECUTE FUNCTION originscan_check_verdicts();"
	"DROP TRIGGER IF EXISTS check_scan ON claims;"
	"CREATE TRIGGER check_scan AFTER INSERT ON claims REFERENCING NEW TABLE AS new_rows"
	"  FOR EACH STATEMENT EXECUTE FUNCTION originscan_check_verdicts();"
	"DROP TRIGGER IF EXISTS check_scan ON components;"
	"CREATE TRIGGER check_scan AFTER INSERT ON components REFERENCING NEW TABLE AS new_rows"
	"  FOR EACH STATEMENT EXECUTE FUNCTION originscan_check_verdicts();";
