set(D ${CMAKE_CURRENT_LIST_DIR})
# The command line: option handling and one file per command. main.c is
# the executable's; the rest is a library so tests can drive commands.
file(GLOB LAB_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/lab/*.snmprec
     ${CMAKE_SOURCE_DIR}/tests/lab/expected.tsv)
set(LAB_C ${CMAKE_BINARY_DIR}/scanner/lab_files.c)
add_custom_command(OUTPUT ${LAB_C}
  COMMAND ${Python3_EXECUTABLE} ${D}/embed.py ${LAB_C} lab_files ${LAB_FILES}
  DEPENDS ${D}/embed.py ${LAB_FILES}
  COMMENT "Embedding the demo lab recordings")
set_source_files_properties(${LAB_C} PROPERTIES COMPILE_OPTIONS "-w")
add_library(os_cli STATIC
  ${D}/cli.c
  ${D}/cmd_snmp.c
  ${D}/cmd_probe.c
  ${D}/cmd_report.c
  ${D}/cmd_history.c
  ${D}/cmd_diff.c
  ${D}/cmd_scan.c
  ${D}/cmd_identify.c
  ${D}/cmd_kb.c
  ${D}/cmd_demo.c
  ${D}/cmd_capture.c
  ${D}/cmd_neigh.c
  ${D}/cmd_db.c
  ${D}/cmd_import.c
  ${D}/cmd_oss.c
  ${LAB_C})
target_link_libraries(os_cli PUBLIC os_report os_attrib os_probe os_snmp os_pcap os_neigh os_oss os_kb os_db os_plan os_lib)
# cli.h is the command line's own
target_include_directories(os_cli PRIVATE ${D})
add_executable(originscan ${D}/main.c)
target_link_libraries(originscan PRIVATE os_cli)
target_include_directories(originscan PRIVATE ${D})
