# Passes when PROGRAM ARG is killed by SIGABRT after writing MESSAGE (a regex) at the start of
# stderr, followed by "outputs untouched" (printed by noexcept_test.cpp's SIGABRT handler).
#   cmake -DPROGRAM=<exe> -DARG=<case> -DMESSAGE=<regex> -P expect_abort.cmake
execute_process(COMMAND "${PROGRAM}" "${ARG}"
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("exit: ${result}\nstderr:\n${err}")
if(NOT result MATCHES "[Aa]bort|^134$")
  message(FATAL_ERROR "expected SIGABRT, got '${result}'")
endif()
if(NOT err MATCHES "^${MESSAGE}")
  message(FATAL_ERROR "stderr does not start with '${MESSAGE}'")
endif()
if(NOT err MATCHES "\noutputs untouched\n")
  message(FATAL_ERROR "the outputs were modified (or not checked) before the abort")
endif()
