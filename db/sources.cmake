set(D ${CMAKE_CURRENT_LIST_DIR})
# The store (include/store.h) over one small SQL interface (db.h) that
# SQLite and PostgreSQL (libpq) implement.
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
target_sources(originscan_core PRIVATE
  ${D}/db.c
  ${D}/db_sqlite.c
  ${D}/db_pg.c
  ${D}/schema.c
  ${D}/store.c)
target_link_libraries(originscan_core PUBLIC PkgConfig::LIBPQ)
set_source_files_properties(${D}/store.c PROPERTIES
  COMPILE_DEFINITIONS ORIGINSCAN_VERSION="${PROJECT_VERSION}")
