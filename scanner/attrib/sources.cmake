set(D ${CMAKE_CURRENT_LIST_DIR})
# Attribution: evidence + knowledge base -> verdicts, and the end every
# scan shares (commit, attribute, record the final status).
add_library(os_attrib STATIC
  ${D}/attrib.c
  ${D}/attrib_keys.c
  ${D}/scan_end.c)
target_link_libraries(os_attrib PUBLIC os_kb os_db os_plan os_lib)
