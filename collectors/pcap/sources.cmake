set(D ${CMAKE_CURRENT_LIST_DIR})
# The passive collector: capture, the frame path, one dissector per
# protocol, the dissector table. The mobile control-plane dissectors live in
# mobile/ with their own list.
add_library(os_pcap STATIC
  ${D}/capture.c
  ${D}/facts.c
  ${D}/flow.c
  ${D}/dissectors.c
  ${D}/frame.c
  ${D}/ethernet.c
  ${D}/arp.c
  ${D}/ipv4.c
  ${D}/ipv6.c
  ${D}/icmpv6.c
  ${D}/tcp.c
  ${D}/udp.c
  ${D}/sctp.c
  ${D}/gre.c
  ${D}/vxlan.c
  ${D}/geneve.c
  ${D}/mpls.c
  ${D}/gtpu.c
  ${D}/lldp.c
  ${D}/cdp.c
  ${D}/dhcp.c
  ${D}/dhcpv6.c
  ${D}/snmp.c
  ${D}/ssh.c
  ${D}/telnet.c
  ${D}/http.c
  ${D}/tls.c
  ${D}/banner.c)
target_link_libraries(os_pcap PUBLIC os_mib os_lib)
# pcap_int.h is the passive collector's own
target_include_directories(os_pcap PRIVATE ${D})
include(${D}/mobile/sources.cmake OPTIONAL)
