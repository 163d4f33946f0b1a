# Runs one libFuzzer target for a bounded time on a copy of its seeds and past
# findings (ctest test fuzz_<name>, tests/fuzz/CMakeLists.txt). Fails on any
# finding; the input is left in WORK/artifacts/.
# -D FUZZER=... SEEDS=dir REGRESSIONS=dir WORK=dir SECONDS=n INPUT_TIMEOUT=n RSS_MB=n [DICT=file]
foreach(var FUZZER SEEDS REGRESSIONS WORK SECONDS INPUT_TIMEOUT RSS_MB)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzzer.cmake: -D ${var}=... is missing")
  endif()
endforeach()

# Fresh copies: libFuzzer writes what it finds into its first corpus directory.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/regressions" "${WORK}/artifacts")
file(GLOB seeds LIST_DIRECTORIES false "${SEEDS}/*")
file(GLOB regressions LIST_DIRECTORIES false "${REGRESSIONS}/*")
list(FILTER regressions EXCLUDE REGEX "/\\.[^/]*$")  # .gitkeep
if(NOT seeds)
  message(FATAL_ERROR "run_fuzzer.cmake: no seeds in ${SEEDS}")
endif()
file(COPY ${seeds} DESTINATION "${WORK}/corpus")
if(regressions)
  file(COPY ${regressions} DESTINATION "${WORK}/regressions")
endif()

set(dict_option)
if(DICT)
  set(dict_option -dict=${DICT})
endif()

# libFuzzer reports on stderr: kept in WORK/fuzz.log, its summary (and, on a
# finding, its report) shown in the test's output.
execute_process(
  COMMAND "${FUZZER}" "${WORK}/corpus" "${WORK}/regressions"
          -max_total_time=${SECONDS}
          -timeout=${INPUT_TIMEOUT}
          -rss_limit_mb=${RSS_MB}
          -artifact_prefix=${WORK}/artifacts/
          -print_final_stats=1
          ${dict_option}
  WORKING_DIRECTORY "${WORK}"
  OUTPUT_FILE "${WORK}/fuzz.log"
  ERROR_FILE "${WORK}/fuzz.log"
  RESULT_VARIABLE status)
file(STRINGS "${WORK}/fuzz.log" log)
file(GLOB findings "${WORK}/artifacts/*")
if(NOT status EQUAL 0 OR findings)
  list(LENGTH log lines)
  math(EXPR from "${lines} - 150")
  if(from LESS 0)
    set(from 0)
  endif()
  list(SUBLIST log ${from} -1 tail)
  list(JOIN tail "\n" tail)
  message("${tail}")
  message(FATAL_ERROR "fuzzer ${FUZZER}: exit status ${status}; findings: ${findings} (whole log: ${WORK}/fuzz.log)")
endif()
list(FILTER log INCLUDE REGEX "(DONE|^stat::)")
list(JOIN log "\n" summary)
message("${summary}")
