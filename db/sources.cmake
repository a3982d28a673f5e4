set(D ${CMAKE_CURRENT_LIST_DIR})
# The store behind include/store.h.
add_library(os_db STATIC
  ${D}/store_sqlite.c)
target_link_libraries(os_db PUBLIC os_lib)
