set(D ${CMAKE_CURRENT_LIST_DIR})
# MIB vocabulary more than one collector writes (include/mib_names.h).
add_library(os_mib STATIC
  ${D}/mib_names.c)
target_link_libraries(os_mib PUBLIC os_lib)
