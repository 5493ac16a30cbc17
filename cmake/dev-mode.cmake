# Developer-only settings for lsc's own tests, examples and benchmarks. Read by the
# top-level CMakeLists.txt only when lsc is the top-level project (or a developer target
# was explicitly enabled). Nothing here touches the lsc::lsc interface or global flags:
# warnings are added per target with lsc_target_warnings(); sanitizers come from the
# asan/tsan presets in CMakePresets.json.

option(LSC_WERROR "Treat warnings as errors in lsc's own targets (tests, examples, benchmarks)" OFF)

enable_testing()

# lsc_target_warnings(<target> [WERROR])
#
# Adds the project's warning set to <target> (never to lsc::lsc):
#   GCC/Clang: -Wall -Wextra -Wpedantic -Wconversion -Wshadow   (+ -Werror)
#   MSVC:      /W4 /permissive-                                  (+ /WX)
# -Werror is added when LSC_WERROR is ON, or always when WERROR is given (used for the
# header self-containment and ODR checks, which must stay warning-free).
function(lsc_target_warnings target)
  cmake_parse_arguments(PARSE_ARGV 1 _arg "WERROR" "" "")
  if(MSVC)
    set(_flags /W4 /permissive-)
    set(_werror /WX)
  else()
    set(_flags -Wall -Wextra -Wpedantic -Wconversion -Wshadow)
    set(_werror -Werror)
  endif()
  if(LSC_WERROR OR _arg_WERROR)
    list(APPEND _flags ${_werror})
  endif()
  get_target_property(_type ${target} TYPE)
  if(_type STREQUAL "INTERFACE_LIBRARY")
    message(FATAL_ERROR "lsc_target_warnings(${target}): warnings belong on a compiled target")
  endif()
  target_compile_options(${target} PRIVATE ${_flags})
endfunction()

# `lsc_format` / `lsc_format_check`: clang-format over the repository's C++ sources.
find_program(LSC_CLANG_FORMAT NAMES clang-format clang-format-14)
mark_as_advanced(LSC_CLANG_FORMAT)
if(LSC_CLANG_FORMAT AND NOT TARGET lsc_format)
  file(GLOB_RECURSE _lsc_format_files CONFIGURE_DEPENDS
    "${PROJECT_SOURCE_DIR}/include/*.hpp"
    "${PROJECT_SOURCE_DIR}/tests/*.hpp" "${PROJECT_SOURCE_DIR}/tests/*.cpp"
    "${PROJECT_SOURCE_DIR}/examples/*.hpp" "${PROJECT_SOURCE_DIR}/examples/*.cpp"
    "${PROJECT_SOURCE_DIR}/benchmarks/*.hpp" "${PROJECT_SOURCE_DIR}/benchmarks/*.cpp")
  add_custom_target(lsc_format
    COMMAND "${LSC_CLANG_FORMAT}" -i --style=file ${_lsc_format_files}
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    COMMENT "clang-format -i (lsc sources)" VERBATIM)
  add_custom_target(lsc_format_check
    COMMAND "${LSC_CLANG_FORMAT}" --dry-run --Werror --style=file ${_lsc_format_files}
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    COMMENT "clang-format --dry-run (lsc sources)" VERBATIM)
endif()
