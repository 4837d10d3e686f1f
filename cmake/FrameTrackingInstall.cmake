# SPDX-License-Identifier: Apache-2.0
# Install rules and the exported CMake package for every component target that exists, plus pkg-config for the core.
#
# Included from the top CMakeLists.txt after all components are added. Each built component
# frame_tracking_<c> gets its own export set (frame_tracking_<c>Targets.cmake), so
# `find_package(frame_tracking CONFIG COMPONENTS otlp redis)` loads (and finds the dependencies of) only what
# it asks for. A new component under src/<c> is picked up by adding its name to frame_tracking_components.
include(CMakePackageConfigHelpers)

set(frame_tracking_components core otlp store redis rabbitmq capture metrics)
set(frame_tracking_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/frame_tracking)
# Generated OTLP message headers live below a private include root so they never shadow an
# opentelemetry-cpp installation's own "opentelemetry/proto/..." headers.
set(frame_tracking_proto_include_dir ${CMAKE_INSTALL_INCLUDEDIR}/frame_tracking/otlp_proto)

# Internal targets the component targets name in their link interfaces (LINK_ONLY for static libraries):
# the warning flags travel with the core (their compile options never reach users), and the generated
# OTLP messages (needed by otlp and store) get an export set of their own.
set_target_properties(frame_tracking_warnings PROPERTIES EXPORT_NAME internal_warnings)
install(TARGETS frame_tracking_warnings EXPORT frame_tracking_coreTargets)

set(frame_tracking_built_components)
foreach(component proto ${frame_tracking_components})
  if(NOT TARGET frame_tracking_${component})
    continue()
  endif()
  if(NOT component STREQUAL "proto")
    list(APPEND frame_tracking_built_components ${component})
  endif()
  install(TARGETS frame_tracking_${component} EXPORT frame_tracking_${component}Targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(EXPORT frame_tracking_${component}Targets NAMESPACE frame_tracking::
          FILE frame_tracking_${component}Targets.cmake DESTINATION ${frame_tracking_cmake_dir})
endforeach()

if(TARGET frame_tracking_proto)
  set_target_properties(frame_tracking_proto PROPERTIES EXPORT_NAME proto)
  target_include_directories(frame_tracking_proto PUBLIC $<INSTALL_INTERFACE:${frame_tracking_proto_include_dir}>)
  install(DIRECTORY ${PROJECT_BINARY_DIR}/proto/opentelemetry DESTINATION ${frame_tracking_proto_include_dir}
          FILES_MATCHING PATTERN "*.pb.h")
endif()

# Public headers: the core's, and the folder of each component that was built.
set(header_excludes)
file(GLOB header_dirs LIST_DIRECTORIES true ${PROJECT_SOURCE_DIR}/include/frame_tracking/*)
foreach(dir ${header_dirs})
  get_filename_component(name ${dir} NAME)
  if(IS_DIRECTORY ${dir} AND NOT TARGET frame_tracking_${name})
    list(APPEND header_excludes PATTERN ${name} EXCLUDE)
  endif()
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/frame_tracking DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp" ${header_excludes})

# Package configuration: frame_trackingConfig.cmake, its version file.
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/frame_trackingConfig.cmake.in
  ${PROJECT_BINARY_DIR}/frame_trackingConfig.cmake
  INSTALL_DESTINATION ${frame_tracking_cmake_dir}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
# 0.x releases may break between minor versions: only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/frame_trackingConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/frame_trackingConfig.cmake ${PROJECT_BINARY_DIR}/frame_trackingConfigVersion.cmake
        DESTINATION ${frame_tracking_cmake_dir})

# pkg-config for the core (relocatable: paths relative to the .pc file's own folder).
file(RELATIVE_PATH pc_to_prefix /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" pc_to_prefix "${pc_to_prefix}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/frame_tracking.pc.in ${PROJECT_BINARY_DIR}/frame_tracking.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/frame_tracking.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

message(STATUS "frame_tracking package components: ${frame_tracking_built_components}")
