# originscan identify: single facts offline, JSON lines in and out, bad
# lines reported in place, --as-of, a newer registry file and a user's own
# knowledge-base file.
. "$(dirname "$0")/lib.sh"
O=$ORIGINSCAN

expect_exit 0 $O identify --kind mac 00:1E:10:12:34:56
expect_out "vendor:       Huawei (huawei)"
expect_out "jurisdiction: CN"
expect_exit 0 $O identify --kind mac --json 0011.2233.4455
python3 -c 'import json,sys; j=json.loads(open(sys.argv[1]).read()); assert j["kind"]=="mac" and "basis" in j, j' "$TMP/out"

cat > "$TMP/in" <<'IN'
{"kind": "mac", "value": "00-1e-10-aa-bb-cc"}
{"kind": "mac", "value": "02:42:ac:11:00:02"}
{"kind": "oid", "value": ".1.3.6.1.4.1.9.1.1017"}
{"kind": "oid", "value": "1.3.6.1.4.1.8072.3.2.10"}
not json at all
{"kind": "mac", "value": "00:1e:10:aa:bb"}
{"kind": "color", "value": "blue"}
{"kind": "oid", "value": "1.3.x"}
{"kind": "enterprise", "value": "3902"}
{"value": "missing kind"}
{"kind": "mac", "value": "00:26:75:01:02:03"}
IN
expect_exit 1 $O identify - < "$TMP/in"
python3 - "$TMP/out" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 11, len(lines)
assert lines[0]["vendor"] == "huawei" and lines[0]["jurisdiction"] == "CN", lines[0]
assert lines[0]["registrant"] == "HUAWEI TECHNOLOGIES CO.,LTD", lines[0]
assert lines[1]["vendor"] is None and "locally administered" in lines[1]["basis"], lines[1]
assert lines[2]["vendor"] == "cisco", lines[2]
assert lines[3]["vendor"] is None and "net-snmp" in (lines[3]["registrant"] or ""), lines[3]
assert lines[4]["line"] == 5 and "JSON" in lines[4]["error"], lines[4]
assert lines[5]["line"] == 6 and "malformed MAC" in lines[5]["error"], lines[5]
assert lines[6]["line"] == 7 and "unknown kind" in lines[6]["error"], lines[6]
assert lines[7]["line"] == 8 and "malformed OID" in lines[7]["error"], lines[7]
assert lines[8]["vendor"] == "zte", lines[8]
assert lines[9]["line"] == 10 and "error" in lines[9], lines[9]
assert lines[10]["vendor"] != "zte", lines[10]         # Aztech is not ZTE
PY
ok "JSON lines"

printf '00:00:0c:01:02:03\nnot-a-mac\n08:60:83:00:00:01\n' | { set +e; $O identify --kind mac - > "$TMP/out"; echo $? > "$TMP/rc"; }
[ "$(cat "$TMP/rc")" = 1 ] || fail "a bad line must make the exit status 1"
python3 -c '
import json,sys; l=[json.loads(x) for x in open(sys.argv[1])]
assert l[0]["vendor"]=="cisco" and l[1]["line"]==2 and l[2]["vendor"]=="zte", l' "$TMP/out"
ok "one value per line"

# ownership on a date: H3C was the Huawei-3Com joint venture in 2005
expect_exit 0 $O identify --json --kind oid --as-of 2005-06-01 1.3.6.1.4.1.25506.1.1
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["vendor"]=="h3c" and j["group"]=="huawei", j' "$TMP/out"
expect_exit 0 $O identify --json --kind oid --as-of 2024-06-01 1.3.6.1.4.1.25506.1.1
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["group"]=="unisplendour", j' "$TMP/out"
expect_exit 64 $O identify --kind oid --as-of 2024-13-01 1.3.6.1
expect_err "--as-of"
ok "--as-of"

# a newer registry: a prefix this build does not know
expect_exit 0 $O identify --json --kind mac fc:ff:ff:01:02:03
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["vendor"] is None, j' "$TMP/out"
printf 'Registry,Assignment,Organization Name,Organization Address\nMA-L,FCFFFF,"Huawei Technologies Co.,Ltd","Bantian Longgang Shenzhen Guangdong CN 518129 "\n' > "$TMP/oui.csv"
expect_exit 0 $O identify --json --kind mac --oui-file "$TMP/oui.csv" fc:ff:ff:01:02:03
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["vendor"]=="huawei", j' "$TMP/out"
printf 'FC:FF:FE\tExample\tExample Widgets Ltd\n' > "$TMP/manuf"
expect_exit 0 $O identify --json --kind mac --oui-file "$TMP/manuf" fc:ff:fe:01:02:03
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["registrant"]=="Example Widgets Ltd" and j["vendor"] is None, j' "$TMP/out"
echo "garbage" > "$TMP/bad.csv"
expect_exit 2 $O identify --kind mac --oui-file "$TMP/bad.csv" 00:00:0c:00:00:01
expect_err "no registry rows"
ok "--oui-file"

# a user's own vendor and rule
cat > "$TMP/mine.kb" <<'KB'
[vendor acme]
name = ACME Networks
country = NL
alias = ACME Networks B.V.

[rule acme.os]
kind = ssh-banner
pattern = ^SSH-2\.0-ACMEOS_(\S+)
vendor = acme
product = ACMEOS
firmware = {1}
role = transport
example = SSH-2.0-ACMEOS_4.2
  vendor = acme
  product = ACMEOS
  firmware = 4.2
  role = transport
KB
expect_exit 0 $O identify --json --kind ssh-banner --kb-file "$TMP/mine.kb" "SSH-2.0-ACMEOS_4.2"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert (j["vendor"],j["firmware"],j["jurisdiction"])==("acme","4.2","NL"), j' "$TMP/out"
expect_exit 0 $O kb check --kb-file "$TMP/mine.kb"
printf '[rule broken]\nkind = ssh-banner\npattern = ^(unclosed\nvendor = acme\n' > "$TMP/broken.kb"
expect_exit 2 $O identify --kind ssh-banner --kb-file "$TMP/broken.kb" x
expect_exit 1 $O kb check --kb-file "$TMP/mine.kb" --kb-file "$TMP/broken.kb"
expect_out "broken"
# a typo in a user's file is an error naming file and line, never ignored
typo() {        # typo LINE-NUMBER WHAT-IS-SAID   (the file is $TMP/typo.kb)
  expect_exit 2 $O report --db "$TMP/none.db" --kb-file "$TMP/typo.kb"
  expect_err "--kb-file: $TMP/typo.kb:$1: $2"
  [ "$(wc -l < "$TMP/err")" = 1 ] || { cat "$TMP/err"; fail "want one line"; }
  expect_exit 2 $O identify --kind ssh-banner --kb-file "$TMP/typo.kb" x
}
printf '[policy mine]\nbase = default\nhigh-risk-vendr = cisco\n' > "$TMP/typo.kb"
typo 3 "unknown policy key 'high-risk-vendr'"
printf '[policy mine]\nhigh-risk-if = eu-membr=no\n' > "$TMP/typo.kb"
typo 2 "high-risk-if: no country has the attribute 'eu-membr'"
printf '[policy mine]\nbase = default\nexclude = domain kore\n' > "$TMP/typo.kb"
typo 3 "policy mine: unknown domain 'kore'"
printf '[vendr acme]\nname = ACME\n' > "$TMP/typo.kb"
typo 1 "unknown stanza type 'vendr'"
printf '[vendor acme]\nname = ACME\ncountry = NL\nkind = makr\n' > "$TMP/typo.kb"
typo 4 "unknown vendor kind 'makr'"
printf '[vendor acme]\nname = ACME\ncountry = NL\nalais = ACME BV\n' > "$TMP/typo.kb"
typo 4 "unknown vendor key 'alais'"
printf '[country NL]\neu-membr = yes\n' > "$TMP/typo.kb"
typo 2 "unknown country key 'eu-membr'"
printf '[rule r]\nkind = ssh-banner\npattern = ^x\nvendor = cisco\nfunction = mmme\nexampel = x\n' > "$TMP/typo.kb"
typo 6 "unknown rule key 'exampel'"
printf '[rule r]\nkind = ssh-banner\npattern = ^x\nvendor = cisco\nfunction = mmme\n' > "$TMP/typo.kb"
typo 1 "rule r: unknown function 'mmme'"
[ ! -e "$TMP/none.db" ] || fail "a refused knowledge file still opened the database"
ok "--kb-file"
