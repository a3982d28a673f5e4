set(D ${CMAKE_CURRENT_LIST_DIR})
target_sources(originscan_core PRIVATE
  ${D}/snmp_sweep.c
  ${D}/snmp_walk.c
  ${D}/snmp_tables.c
  ${D}/snmp_crawl.c
  ${D}/snmp_usm.c
  ${D}/snmp_creds.c)
