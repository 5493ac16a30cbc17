# cmake -P script run by the packaging_install test (fixture lsc_installed):
# installs the build tree BUILD_DIR into a fresh PREFIX and checks the installed layout.
#   -DBUILD_DIR= -DPREFIX= -DCONFIG= -DSOURCE_DIR= -DINCLUDEDIR= -DCMAKEDIR= -DPKGCONFIGDIR=
cmake_minimum_required(VERSION 3.14)
foreach(_var IN ITEMS BUILD_DIR PREFIX SOURCE_DIR INCLUDEDIR CMAKEDIR PKGCONFIGDIR)
  if(NOT ${_var})
    message(FATAL_ERROR "install.cmake: -D${_var}= is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${PREFIX}")
set(_config_args "")
if(CONFIG)
  set(_config_args --config "${CONFIG}")
endif()
execute_process(
  COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" ${_config_args}
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${_rc})")
endif()

# Every public header, the CMake package files and lsc.pc must be there...
file(GLOB _headers RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/lsc/*.hpp")
set(_expected "")
foreach(_h IN LISTS _headers)
  list(APPEND _expected "${INCLUDEDIR}/${_h}")
endforeach()
list(APPEND _expected
  "${CMAKEDIR}/lscConfig.cmake"
  "${CMAKEDIR}/lscConfigVersion.cmake"
  "${CMAKEDIR}/lscTargets.cmake"
  "${PKGCONFIGDIR}/lsc.pc")
set(_missing "")
foreach(_f IN LISTS _expected)
  if(NOT EXISTS "${PREFIX}/${_f}")
    list(APPEND _missing "${_f}")
  endif()
endforeach()
if(_missing)
  message(FATAL_ERROR "not installed: ${_missing}")
endif()

# ...and nothing else: no test, example or benchmark binaries, no stray files.
file(GLOB_RECURSE _installed RELATIVE "${PREFIX}" "${PREFIX}/*")
set(_unexpected "")
foreach(_f IN LISTS _installed)
  if(NOT _f IN_LIST _expected AND NOT _f MATCHES "^${CMAKEDIR}/lscTargets(-[a-z]+)?\\.cmake$"
     AND NOT _f MATCHES "^${INCLUDEDIR}/lsc/.*\\.hpp$")
    list(APPEND _unexpected "${_f}")
  endif()
endforeach()
if(_unexpected)
  message(FATAL_ERROR "unexpected files installed: ${_unexpected}")
endif()

list(LENGTH _installed _count)
message(STATUS "installed ${_count} files into ${PREFIX}:")
list(SORT _installed)
foreach(_f IN LISTS _installed)
  message(STATUS "  ${_f}")
endforeach()
