# Benchmark helpers (bench/*.sh run them); built with the project, not run by ctest.
add_executable(report_fill ${CMAKE_CURRENT_LIST_DIR}/report_fill.c)
target_link_libraries(report_fill PRIVATE originscan_core)
add_executable(oss_read ${CMAKE_CURRENT_LIST_DIR}/oss_read.c)
target_link_libraries(oss_read PRIVATE originscan_core)
add_executable(collect_fill ${CMAKE_CURRENT_LIST_DIR}/collect_fill.c)
target_link_libraries(collect_fill PRIVATE originscan_core)
