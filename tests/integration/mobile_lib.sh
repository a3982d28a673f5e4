# Shared by the mobile live tests (after lib.sh): two network namespaces
# of our own (prefix os6-) joined by a veth pair, removed when the test
# ends, and a fact lookup.
#   ns_pair TAG ADDR_A ADDR_B   sets NS_A NS_B (namespaces), IF_A IF_B (veth
#                               ends); ADDR_x "" for no address
ns_pair() {
  NS_A=os6-${1}a$$ NS_B=os6-${1}b$$ IF_A=os6-${1}x$$ IF_B=os6-${1}y$$
  ip netns add "$NS_A" && ip netns add "$NS_B" || skip "cannot create network namespaces"
  trap 'ip netns del "$NS_A" 2>/dev/null; ip netns del "$NS_B" 2>/dev/null; cleanup' EXIT
  # no IPv6: the kernel's own solicitations and reports would be frames
  # the tests did not send (a capture counting frames would stop early)
  local ns
  for ns in "$NS_A" "$NS_B"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B"
  [ -z "$2" ] || ip -n "$NS_A" addr add "$2/24" dev "$IF_A"
  [ -z "$3" ] || ip -n "$NS_B" addr add "$3/24" dev "$IF_B"
  for ns in "$NS_A" "$NS_B"; do ip -n "$ns" link set lo up; done
  ip -n "$NS_A" link set "$IF_A" up
  ip -n "$NS_B" link set "$IF_B" up
}

# has DB SUBJECT KEY VALUE-REGEX: a fact with a value matching the regex
has() {
  local v
  v=$(sql "$1" "select cast(value as text) from evidence where subject = '$2' and key = '$3'")
  grep -Eqx -- "$4" <<<"$v" || fail "$2 $3: '$v', want /$4/"
}
