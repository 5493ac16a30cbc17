# Reads the version of lsc from include/lsc/version.hpp, the one place it is written.
#
#   lsc_read_version(<header> <out-var>)
#
# sets <out-var> to "MAJOR.MINOR.PATCH" from the lines
#   #define LSC_VERSION_MAJOR <n>
#   #define LSC_VERSION_MINOR <n>
#   #define LSC_VERSION_PATCH <n>
# and stops with an error naming the header if any of the three is missing.
function(lsc_read_version header out_var)
  file(STRINGS "${header}" _lines REGEX "^#define[ \t]+LSC_VERSION_(MAJOR|MINOR|PATCH)[ \t]+")
  set(_parts)
  foreach(_part IN ITEMS MAJOR MINOR PATCH)
    set(_value "")
    foreach(_line IN LISTS _lines)
      if(_line MATCHES "^#define[ \t]+LSC_VERSION_${_part}[ \t]+([0-9]+)[ \t]*(//.*)?$")
        set(_value "${CMAKE_MATCH_1}")
      endif()
    endforeach()
    if(_value STREQUAL "")
      message(FATAL_ERROR "lsc: cannot read LSC_VERSION_${_part} from ${header}")
    endif()
    list(APPEND _parts "${_value}")
  endforeach()
  list(JOIN _parts "." _version)
  set(${out_var} "${_version}" PARENT_SCOPE)
endfunction()
