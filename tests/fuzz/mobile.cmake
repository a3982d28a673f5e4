# The mobile control-plane dissectors' fuzz targets. With ORIGINSCAN_FUZZ
# (CC=clang) each is a libFuzzer binary; otherwise each is linked with
# replay_main.c and ctest runs it over the seed corpus mobilegen writes
# and over tests/fuzz/regressions/<target>/ (inputs that once crashed;
# tests/fuzz/run.sh runs the libFuzzer builds, these included).
set(FZ ${CMAKE_SOURCE_DIR}/tests/fuzz)
set(MOBILE_FUZZ diameter diameter_heur s1ap ngap x2ap xnap gtpc gtpu pfcp)
foreach(t ${MOBILE_FUZZ})
  add_executable(fuzz_${t} ${FZ}/fuzz_${t}.c)
  target_link_libraries(fuzz_${t} PRIVATE originscan_core)
  target_include_directories(fuzz_${t} PRIVATE ${CMAKE_SOURCE_DIR}/collectors/pcap)
  if(ORIGINSCAN_FUZZ)
    target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer)
  else()
    target_sources(fuzz_${t} PRIVATE ${FZ}/replay_main.c)
  endif()
endforeach()
if(NOT ORIGINSCAN_FUZZ)
  add_test(NAME mobile_fuzz_seeds
           COMMAND ${CMAKE_COMMAND} -DGEN=$<TARGET_FILE:mobilegen> -DBIN=${CMAKE_CURRENT_BINARY_DIR}
                   -DREGRESS=${FZ}/regressions "-DTARGETS=${MOBILE_FUZZ}" -P ${FZ}/replay.cmake)
endif()
