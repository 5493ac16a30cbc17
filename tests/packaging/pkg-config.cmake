# cmake -P script run by the packaging_pkg_config test: compiles and runs the consumer
# with the flags from the installed lsc.pc.
#   -DPKG_CONFIG= -DPKG_CONFIG_DIR= -DCXX= -DSOURCE= -DOUTPUT= -DEXPECTED_VERSION=
cmake_minimum_required(VERSION 3.14)
set(ENV{PKG_CONFIG_PATH} "${PKG_CONFIG_DIR}")

execute_process(COMMAND "${PKG_CONFIG}" --modversion lsc
  OUTPUT_VARIABLE _version OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0 OR NOT _version STREQUAL EXPECTED_VERSION)
  message(FATAL_ERROR "pkg-config --modversion lsc: '${_version}' (rc ${_rc}), "
    "expected ${EXPECTED_VERSION}")
endif()

execute_process(COMMAND "${PKG_CONFIG}" --cflags lsc
  OUTPUT_VARIABLE _cflags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags lsc failed (${_rc})")
endif()
message(STATUS "pkg-config --cflags lsc: ${_cflags}")
separate_arguments(_cflags UNIX_COMMAND "${_cflags}")

get_filename_component(_dir "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${_dir}")
execute_process(COMMAND "${CXX}" -std=c++17 ${_cflags} "${SOURCE}" -o "${OUTPUT}"
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "compiling the consumer with pkg-config flags failed (${_rc})")
endif()
execute_process(COMMAND "${OUTPUT}" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "pkg-config consumer failed (${_rc})")
endif()
