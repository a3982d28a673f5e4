set(D ${CMAKE_CURRENT_LIST_DIR})
# The store behind include/store.h, over one small SQL interface (db.h)
# that SQLite and PostgreSQL (libpq) implement.
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
add_library(os_db STATIC
  ${D}/db.c
  ${D}/db_sqlite.c
  ${D}/db_pg.c
  ${D}/schema.c
  ${D}/store.c)
target_link_libraries(os_db PUBLIC os_lib PkgConfig::LIBPQ)
set_source_files_properties(${D}/store.c PROPERTIES
  COMPILE_DEFINITIONS ORIGINSCAN_VERSION="${PROJECT_VERSION}")
