# install(): the shared and static libraries, the headers, the CLI, a CMake package
# (find_package(lfpse) -> lfpse::lfpse, lfpse::lfpse_static) and lfpse.pc for pkg-config.
include(CMakePackageConfigHelpers)

install(TARGETS lfpse lfpse_static EXPORT lfpseTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS lfpse_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/lfpse DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(LFPSE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/lfpse)
install(EXPORT lfpseTargets NAMESPACE lfpse:: DESTINATION ${LFPSE_CMAKE_DIR})
export(EXPORT lfpseTargets NAMESPACE lfpse:: FILE ${PROJECT_BINARY_DIR}/lfpseTargets.cmake)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/lfpseConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/lfpseConfig.cmake
                              INSTALL_DESTINATION ${LFPSE_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/lfpseConfigVersion.cmake
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/lfpseConfig.cmake ${PROJECT_BINARY_DIR}/lfpseConfigVersion.cmake
        DESTINATION ${LFPSE_CMAKE_DIR})

# The .pc file finds its prefix relative to itself, so an installed tree can be moved.
file(RELATIVE_PATH LFPSE_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/lfpse.pc.in ${PROJECT_BINARY_DIR}/lfpse.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/lfpse.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
