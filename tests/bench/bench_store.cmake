# The store's benchmark (issue 3): included by tests/bench/CMakeLists.txt.
add_executable(bench_store ${CMAKE_CURRENT_SOURCE_DIR}/bench_store.cpp
                           ${CMAKE_CURRENT_SOURCE_DIR}/sync_floor_vfs.cpp)
target_link_libraries(bench_store PRIVATE lfpse_internal)
target_compile_definitions(bench_store PRIVATE LFPSE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
lfpse_warnings(bench_store)
list(APPEND bench_commands COMMAND $<TARGET_FILE:bench_store> --dir ${CMAKE_CURRENT_BINARY_DIR})
# Again on an emulated disk whose syncs take at least 300 us, where the raw single-row bound is
# about the issue's reference (2,100 commits/s): see sync_floor_vfs.hpp.
list(APPEND bench_commands COMMAND $<TARGET_FILE:bench_store> --dir ${CMAKE_CURRENT_BINARY_DIR}
     --queued 0 --sync-floor-us 300)
list(APPEND bench_depends bench_store)
