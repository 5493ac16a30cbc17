# cmake -DGOT=<summary.md> -DEXPECTED=<summary.md> -P compare_summary.cmake
# Compares two demo summaries, ignoring the first line (the command line that produced each).
file(STRINGS "${GOT}" got)
file(STRINGS "${EXPECTED}" expected)
list(REMOVE_AT got 0)
list(REMOVE_AT expected 0)
if(NOT got STREQUAL expected)
  message(FATAL_ERROR "${GOT} differs from ${EXPECTED} (beyond the command line): "
    "the committed docs/alignment are stale; rerun scripts/demo --out docs/alignment")
endif()
