set(D ${CMAKE_CURRENT_LIST_DIR})
# The active service prober (include/probe.h); probe_int.h is its own.
# It reads banners through the passive collector's dissectors
# (include/banner.h) and runs the SNMP collector's discovery.
add_library(os_probe STATIC
  ${D}/probe.c
  ${D}/service.c)
target_link_libraries(os_probe PUBLIC os_pcap os_snmp os_plan os_lib)
target_include_directories(os_probe PRIVATE ${D})
