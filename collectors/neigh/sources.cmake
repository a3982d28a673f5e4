set(D ${CMAKE_CURRENT_LIST_DIR})
# The kernel's neighbour tables through libnl-route.
add_library(os_neigh STATIC
  ${D}/neigh.c)
target_link_libraries(os_neigh PUBLIC os_lib)
