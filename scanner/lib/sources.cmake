set(D ${CMAKE_CURRENT_LIST_DIR})
# Small shared helpers: messages, buffers and time (util), evidence text,
# the streaming JSON writer, string maps, the stanza parser, the one
# privilege drop of every collector. Everything
# else links this; it links nothing of ours, so db/ may use it without
# depending on the CLI.
add_library(os_lib STATIC
  ${D}/util.c
  ${D}/evidence.c
  ${D}/jsonw.c
  ${D}/smap.c
  ${D}/stanza.c
  ${D}/outfile.c
  ${D}/privdrop.c)
target_link_libraries(os_lib PUBLIC PkgConfig::DEPS m)
