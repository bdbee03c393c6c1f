# Layers import one way: core <- taxonomy <- store <- sync <- capi. Run with -DROOT=<tree>.
# Fails when a file includes against the grain:
# - src/<layer> includes only its own layer and those below it (capi also the public headers);
# - src/cli includes only its own files, src/core and the public headers (include/lfpse), as
#   the CLI stands on the C ABI alone;
# - conformance/server includes only the layers below capi;
# - include/lfpse includes only its own headers.
# Includes are recognised by their first path component; system headers pass.
set(layers core taxonomy store sync capi)
set(allowed_core core)
set(allowed_taxonomy core taxonomy)
set(allowed_store core taxonomy store)
set(allowed_sync core taxonomy store sync)
set(allowed_capi core taxonomy store sync capi lfpse)
set(allowed_cli cli core lfpse)
set(allowed_server core taxonomy store sync)
set(allowed_public lfpse)
set(ours ${layers} cli lfpse)

set(problems "")
set(checked 0)
macro(check_dir dir who)
  file(GLOB_RECURSE files ${ROOT}/${dir}/*.cpp ${ROOT}/${dir}/*.hpp ${ROOT}/${dir}/*.c
       ${ROOT}/${dir}/*.h)
  foreach(file ${files})
    file(STRINGS ${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    math(EXPR checked "${checked} + 1")
    foreach(line ${includes})
      if(line MATCHES "include[ \t]*[<\"]([a-z_]+)/")
        set(target ${CMAKE_MATCH_1})
        list(FIND ours ${target} is_ours)
        list(FIND allowed_${who} ${target} ok)
        if(NOT is_ours EQUAL -1 AND ok EQUAL -1)
          file(RELATIVE_PATH rel ${ROOT} ${file})
          string(STRIP "${line}" line)
          string(APPEND problems "\n  ${rel}: ${line} (${who} may include: ${allowed_${who}})")
        endif()
      endif()
    endforeach()
  endforeach()
endmacro()

foreach(layer ${layers})
  check_dir(src/${layer} ${layer})
endforeach()
check_dir(src/cli cli)
check_dir(conformance/server server)
check_dir(include/lfpse public)

if(problems)
  message(FATAL_ERROR "includes against the grain of the layers:${problems}")
endif()
if(checked LESS 1)
  message(FATAL_ERROR "no source files under ${ROOT}: the paths are stale")
endif()
message(STATUS "${checked} files, every include with the grain")
