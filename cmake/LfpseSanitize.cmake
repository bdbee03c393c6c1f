# LFPSE_SANITIZE: 'address;undefined' or 'thread', applied to everything built here.
if(LFPSE_SANITIZE)
  string(REPLACE ";" "," _lfpse_san "${LFPSE_SANITIZE}")
  add_compile_options(-fsanitize=${_lfpse_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_lfpse_san})
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND "undefined" IN_LIST LFPSE_SANITIZE)
    add_compile_options(-fsanitize-ignorelist=${PROJECT_SOURCE_DIR}/cmake/sanitizer-ignorelist.txt)
  endif()
  if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    # C programs linking the C++ library need the C++ parts of the sanitizer runtimes.
    add_link_options(-fsanitize-link-c++-runtime $<$<LINK_LANGUAGE:C>:-lstdc++>)
  endif()
endif()

# LFPSE_BUILD_FUZZ: coverage instrumentation for libFuzzer across the whole build, so that the
# fuzz targets see into the library; only the fuzz targets link libFuzzer's main.
if(LFPSE_BUILD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "LFPSE_BUILD_FUZZ needs clang (CC=clang-14 CXX=clang++-14)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
