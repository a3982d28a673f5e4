set(D ${CMAKE_CURRENT_LIST_DIR})
target_sources(originscan_core PRIVATE
  ${D}/neigh.c)
