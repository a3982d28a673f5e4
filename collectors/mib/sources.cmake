set(D ${CMAKE_CURRENT_LIST_DIR})
# MIB vocabulary more than one collector writes (include/mib_names.h).
target_sources(originscan_core PRIVATE
  ${D}/mib_names.c)
