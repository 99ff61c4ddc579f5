# What `cmake --install` and `cpack` ship (docs/packaging.md):
#   include/clash/                          the public headers (nothing from src/)
#   lib/libclash*.a                         the library's static archives
#   lib/cmake/clash/                        the CMake package: find_package(clash [COMPONENTS ...])
#   lib/pkgconfig/clash.pc                  pkg-config (static linking: pkg-config --static --libs clash)
#   bin/clash-host                          the host (when built)
#   libexec/clash/                          the sandbox helpers the judge starts (when built)
#   share/clash/{levels,store,puzzles}      the shipped content the host loads by default
#   share/doc/clash/                        README, docs/
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Library targets, their exported names (clash::<name>) and the components that select them.
set(CLASH_EXPORTED_TARGETS clash_core clash_storage_sqlite clash clash_security clash_transport clash_oauth)
set_target_properties(clash_core PROPERTIES EXPORT_NAME core)
set_target_properties(clash_storage_sqlite PROPERTIES EXPORT_NAME storage_sqlite)
set_target_properties(clash PROPERTIES EXPORT_NAME clash)
set_target_properties(clash_security PROPERTIES EXPORT_NAME security)
set_target_properties(clash_transport PROPERTIES EXPORT_NAME transport)
set_target_properties(clash_oauth PROPERTIES EXPORT_NAME oauth)
set(CLASH_COMPONENTS sqlite)
if(TARGET clash_storage_postgres)
  list(APPEND CLASH_EXPORTED_TARGETS clash_storage_postgres)
  set_target_properties(clash_storage_postgres PROPERTIES EXPORT_NAME storage_postgres)
  list(APPEND CLASH_COMPONENTS postgres)
endif()
if(TARGET clash_judge)
  list(APPEND CLASH_EXPORTED_TARGETS clash_judge)
  set_target_properties(clash_judge PROPERTIES EXPORT_NAME judge)
  list(APPEND CLASH_COMPONENTS judge)
endif()

install(TARGETS ${CLASH_EXPORTED_TARGETS} EXPORT clashTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT library
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libclash/include/clash
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT library
  FILES_MATCHING PATTERN "*.h")
install(EXPORT clashTargets NAMESPACE clash:: FILE clashTargets.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/clash COMPONENT library)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/clashConfig.cmake.in
  ${PROJECT_BINARY_DIR}/clashConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/clash)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/clashConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/clashConfig.cmake ${PROJECT_BINARY_DIR}/clashConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/clash COMPONENT library)

# pkg-config. The archives are listed in link order; `clash` comes again after `clash_oauth`
# (they refer to each other). Requires.private names the .pc files of the dependencies that have one.
set(CLASH_PC_LIBS "-lclash -lclash_oauth -lclash")
set(CLASH_PC_REQUIRES_PRIVATE "sqlite3 libsodium libssl libcrypto hiredis")
set(CLASH_PC_LIBS_PRIVATE "-lPocoRedis -lPocoNetSSL -lPocoCrypto -lPocoNet -lPocoUtil -lPocoXML -lPocoJSON -lPocoFoundation")
if(TARGET clash_judge)
  string(APPEND CLASH_PC_LIBS " -lclash_judge")
  string(APPEND CLASH_PC_REQUIRES_PRIVATE " libseccomp")
endif()
string(APPEND CLASH_PC_LIBS " -lclash_security -lclash_transport")
if(TARGET clash_storage_postgres)
  string(APPEND CLASH_PC_LIBS " -lclash_storage_postgres")
  # Not Requires.private: libpq.pc's static list names archives Debian does not ship.
  string(APPEND CLASH_PC_LIBS_PRIVATE " -lpq")
endif()
string(APPEND CLASH_PC_LIBS " -lclash_storage_sqlite -lclash_core")
string(APPEND CLASH_PC_LIBS_PRIVATE " -pthread")
# Relocatable: the prefix is found from the .pc file's own directory.
file(RELATIVE_PATH CLASH_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/clash.pc.in ${PROJECT_BINARY_DIR}/clash.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/clash.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT library)

if(TARGET clash-host)
  install(TARGETS clash-host RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT host)
endif()
# The sandbox helpers: the library finds them at the path baked in for the install tree
# (libclash/src/judge/CMakeLists.txt) when the build tree's copy is not there.
foreach(helper clash_sandbox_init clash_zygote_helper)
  if(TARGET ${helper})
    install(TARGETS ${helper}
      RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/clash COMPONENT library
      LIBRARY DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/clash COMPONENT library)
  endif()
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/levels ${PROJECT_SOURCE_DIR}/data/notes ${PROJECT_SOURCE_DIR}/data/store ${PROJECT_SOURCE_DIR}/data/puzzles
  DESTINATION ${CMAKE_INSTALL_DATADIR}/clash COMPONENT host
  PATTERN "__pycache__" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT host)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT host)

# `cpack -G DEB` in the build directory: one package with the library, the host and the helpers.
# Static archives carry no debug information in the package (install/strip).
set(CPACK_PACKAGE_NAME clash)
set(CPACK_PACKAGE_VENDOR "Clash")
set(CPACK_PACKAGE_CONTACT "Clash maintainers <maintainers@clash.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Clash: the competitive coding platform SDK (libclash, clash-host, judge sandbox)")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
# The package installs where this build was configured to (the judge's helper paths are baked in
# for it): configure with -DCMAKE_INSTALL_PREFIX=/usr for a distribution-style package.
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
# Run-time: the host's shared libraries and the judge's tools. Build-time for embedders: the headers
# of the dependencies the exported targets name.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "bubblewrap, python3, g++, libsqlite3-dev, libpq-dev, libssl-dev, libsodium-dev, libseccomp-dev, libpoco-dev, libhiredis-dev, nlohmann-json3-dev, nodejs")
include(CPack)
