set(D ${CMAKE_CURRENT_LIST_DIR})
# The SNMP collector; snmp_int.h is its own.
add_library(os_snmp STATIC
  ${D}/snmp_sweep.c
  ${D}/snmp_walk.c
  ${D}/snmp_tables.c
  ${D}/snmp_crawl.c
  ${D}/snmp_usm.c
  ${D}/snmp_creds.c)
target_link_libraries(os_snmp PUBLIC os_mib os_plan os_lib)
target_include_directories(os_snmp PRIVATE ${D})
