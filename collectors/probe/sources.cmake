set(D ${CMAKE_CURRENT_LIST_DIR})
# The active service prober (include/probe.h): the loop, what each kind
# of service is asked and read. Its private header stays in this folder.
target_sources(originscan_core PRIVATE
  ${D}/probe.c
  ${D}/service.c)
