set(D ${CMAKE_CURRENT_LIST_DIR})
# Scan plans: target sets and their visiting order, scan configurations
# (scan -f), site maps, and the resume protocol of interrupted sweeps.
add_library(os_plan STATIC
  ${D}/targets.c
  ${D}/scanconf.c
  ${D}/sitemap.c
  ${D}/resume.c)
target_link_libraries(os_plan PUBLIC os_db os_lib)
