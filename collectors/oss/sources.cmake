set(D ${CMAKE_CURRENT_LIST_DIR})
# OSS exports (3GPP Bulk CM, Nokia RAML 2.0) through libxml2's xmlTextReader.
target_sources(originscan_core PRIVATE
  ${D}/oss.c
  ${D}/oss_input.c)
