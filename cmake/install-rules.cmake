# Install rules for lsc (included from the top-level CMakeLists.txt when LSC_INSTALL is ON).
#
# Layout under the prefix:
#   include/lsc/*.hpp                      the headers
#   <libdir>/cmake/lsc/lscConfig.cmake     find_package(lsc CONFIG), + Version + Targets
#   share/pkgconfig/lsc.pc                 pkg-config (header-only, so arch-independent)
include(CMakePackageConfigHelpers)

set(LSC_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/lsc"
  CACHE STRING "Install directory of lsc's CMake package files, relative to the prefix")
set(LSC_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATADIR}/pkgconfig"
  CACHE STRING "Install directory of lsc.pc, relative to the prefix")
mark_as_advanced(LSC_INSTALL_CMAKEDIR LSC_INSTALL_PKGCONFIGDIR)

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  COMPONENT lsc_Development
  FILES_MATCHING PATTERN "*.hpp")

install(TARGETS lsc EXPORT lscTargets)
install(EXPORT lscTargets
  NAMESPACE lsc::
  DESTINATION "${LSC_INSTALL_CMAKEDIR}"
  COMPONENT lsc_Development)

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/lscConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/lscConfig.cmake"
  INSTALL_DESTINATION "${LSC_INSTALL_CMAKEDIR}")
# 0.y.z: any 0.y satisfies a request for 0.x (x <= y); revisit at 1.0.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/lscConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)
install(FILES
    "${PROJECT_BINARY_DIR}/lscConfig.cmake"
    "${PROJECT_BINARY_DIR}/lscConfigVersion.cmake"
  DESTINATION "${LSC_INSTALL_CMAKEDIR}"
  COMPONENT lsc_Development)

# pkg-config. The prefix is written relative to the .pc file (${pcfiledir}) so the file
# stays right under `cmake --install --prefix <elsewhere>` and when the tree is moved.
# Absolute install directories are used as they are.
if(IS_ABSOLUTE "${LSC_INSTALL_PKGCONFIGDIR}")
  set(LSC_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _lsc_pc_up "/lsc_prefix/${LSC_INSTALL_PKGCONFIGDIR}" "/lsc_prefix")
  string(REGEX REPLACE "/$" "" _lsc_pc_up "${_lsc_pc_up}")
  set(LSC_PC_PREFIX "\${pcfiledir}/${_lsc_pc_up}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(LSC_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(LSC_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/lsc.pc.in" "${PROJECT_BINARY_DIR}/lsc.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/lsc.pc"
  DESTINATION "${LSC_INSTALL_PKGCONFIGDIR}"
  COMPONENT lsc_Development)
