# Installs the build to PREFIX, then builds two consumers outside the tree against it:
# tests/package (find_package(lfpse)) and examples/c/validate.c through pkg-config. Each runs
# on an example event.
function(run)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGV}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${PREFIX})
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})
set(event ${SOURCE_DIR}/examples/events/v5-01-incident-medication.json)
foreach(header lfpse.h lfpse_sys.h lfpse.hpp)
  if(NOT EXISTS ${PREFIX}/include/lfpse/${header})
    message(FATAL_ERROR "not installed: include/lfpse/${header}")
  endif()
endforeach()

run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/package -B ${PREFIX}/consumer -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
run(${CMAKE_COMMAND} --build ${PREFIX}/consumer)
run(${PREFIX}/consumer/consumer ${event})
if(NOT last_output MATCHES "\"valid\":true")
  message(FATAL_ERROR "the find_package consumer did not validate the event: ${last_output}")
endif()

file(GLOB pc_dirs ${PREFIX}/lib*/pkgconfig ${PREFIX}/lib/*/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "${pc_dirs}")
run(pkg-config --cflags --libs lfpse)
string(STRIP "${last_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(${C_COMPILER} -std=c99 -Wall -Wextra -pedantic -Werror ${SOURCE_DIR}/examples/c/validate.c
    ${flags} -o ${PREFIX}/validate_c)
file(GLOB lib_dirs ${PREFIX}/lib*)
set(ENV{LD_LIBRARY_PATH} "${lib_dirs}")
run(${PREFIX}/validate_c ${event})
if(NOT last_output MATCHES "\"resourceType\":\"AdverseEvent\"")
  message(FATAL_ERROR "the pkg-config consumer printed no AdverseEvent: ${last_output}")
endif()
message(STATUS "both consumers built and ran against ${PREFIX}")
