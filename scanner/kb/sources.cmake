set(D ${CMAKE_CURRENT_LIST_DIR})
# The knowledge base: registry tables and data/ compiled in at build time.
file(GLOB_RECURSE KB_DATA_FILES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/data/*.vendors ${CMAKE_SOURCE_DIR}/data/*.rules
     ${CMAKE_SOURCE_DIR}/data/*.policy ${CMAKE_SOURCE_DIR}/data/*.txt
     ${CMAKE_SOURCE_DIR}/data/*.lines)
set(KB_GEN_REG ${CMAKE_BINARY_DIR}/scanner/kb/kb_registry.c)
set(KB_GEN_DATA ${CMAKE_BINARY_DIR}/scanner/kb/kb_data.c)
add_custom_command(
  OUTPUT ${KB_GEN_REG} ${KB_GEN_DATA}
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/gen_kb.py
          ${ORIGINSCAN_IEEE_DIR} ${ORIGINSCAN_WIRESHARK_DIR} ${ORIGINSCAN_DICT} ${CMAKE_SOURCE_DIR}/data
          ${KB_GEN_REG} ${KB_GEN_DATA}
  DEPENDS ${CMAKE_CURRENT_LIST_DIR}/gen_kb.py ${KB_DATA_FILES}
          ${ORIGINSCAN_IEEE_DIR}/oui.csv ${ORIGINSCAN_IEEE_DIR}/mam.csv
          ${ORIGINSCAN_IEEE_DIR}/oui36.csv ${ORIGINSCAN_IEEE_DIR}/iab.csv
          ${ORIGINSCAN_WIRESHARK_DIR}/manuf ${ORIGINSCAN_WIRESHARK_DIR}/enterprises.tsv
          ${ORIGINSCAN_DICT}
  COMMENT "Compiling the knowledge base (IEEE, IANA, data/)")
# Generated tables are large and simple: no need for the full warning set
# or optimisation passes over 5 MB of initialisers.
set_source_files_properties(${KB_GEN_REG} ${KB_GEN_DATA} PROPERTIES COMPILE_OPTIONS "-O0;-w")
add_library(os_kb STATIC
  ${D}/kb.c
  ${D}/vendors.c
  ${D}/registry.c
  ${D}/policy.c
  ${D}/rules.c
  ${D}/names.c
  ${D}/check.c
  ${KB_GEN_REG}
  ${KB_GEN_DATA})
target_link_libraries(os_kb PUBLIC os_lib)
# kb_int.h and kb_tables.h are the knowledge base's own
target_include_directories(os_kb PRIVATE ${CMAKE_CURRENT_LIST_DIR})
