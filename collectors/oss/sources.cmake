set(D ${CMAKE_CURRENT_LIST_DIR})
# OSS exports (3GPP Bulk CM, Nokia RAML 2.0) through libxml2's xmlTextReader.
add_library(os_oss STATIC
  ${D}/oss.c
  ${D}/oss_input.c)
target_link_libraries(os_oss PUBLIC os_lib)
# oss_int.h is the OSS collector's own
target_include_directories(os_oss PRIVATE ${D})
