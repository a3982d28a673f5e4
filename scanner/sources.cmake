set(D ${CMAKE_CURRENT_LIST_DIR})
# The CLI's commands, attribution, reports, targets: all in the core
# library except main.c, so tests can drive every piece.
file(GLOB LAB_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/lab/*.snmprec
     ${CMAKE_SOURCE_DIR}/tests/lab/expected.tsv)
set(LAB_C ${CMAKE_BINARY_DIR}/scanner/lab_files.c)
add_custom_command(OUTPUT ${LAB_C}
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/embed.py ${LAB_C} lab_files ${LAB_FILES}
  DEPENDS ${CMAKE_CURRENT_LIST_DIR}/embed.py ${LAB_FILES}
  COMMENT "Embedding the demo lab recordings")
set_source_files_properties(${LAB_C} PROPERTIES COMPILE_OPTIONS "-w")
target_sources(originscan_core PRIVATE
  ${D}/util.c
  ${D}/evidence.c
  ${D}/targets.c
  ${D}/attrib.c
  ${D}/attrib_keys.c
  ${D}/report.c
  ${D}/report_text.c
  ${D}/report_json.c
  ${D}/report_csv.c
  ${D}/report_html.c
  ${D}/jsonw.c
  ${D}/smap.c
  ${D}/sitemap.c
  ${D}/scanconf.c
  ${D}/diff.c
  ${D}/cli.c
  ${D}/cmd_snmp.c
  ${D}/cmd_report.c
  ${D}/cmd_history.c
  ${D}/cmd_diff.c
  ${D}/cmd_scan.c
  ${D}/cmd_identify.c
  ${D}/cmd_kb.c
  ${D}/cmd_demo.c
  ${D}/cmd_capture.c
  ${D}/cmd_neigh.c
  ${LAB_C})
target_include_directories(originscan_core PUBLIC ${CMAKE_CURRENT_LIST_DIR})
