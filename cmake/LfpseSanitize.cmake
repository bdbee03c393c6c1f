# LFPSE_SANITIZE: 'address;undefined' or 'thread', applied to everything built here.
if(LFPSE_SANITIZE)
  string(REPLACE ";" "," _lfpse_san "${LFPSE_SANITIZE}")
  add_compile_options(-fsanitize=${_lfpse_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_lfpse_san})
endif()
