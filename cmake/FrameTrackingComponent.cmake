# SPDX-License-Identifier: Apache-2.0
# frame_tracking_add_component(): the library target of one component (frame_tracking_<c>, alias frame_tracking::<c>).

# frame_tracking_add_component(<component> [SOURCES <file>...] [PUBLIC <lib>...] [PRIVATE <lib>...])
# Adds the library frame_tracking_<component> built from SOURCES (default: every *.cpp in the calling
# folder), with the alias frame_tracking::<component>, export name <component> (see
# FrameTrackingInstall.cmake), include/ as its public include directory, PUBLIC and PRIVATE link
# libraries as given, and the project's warnings. Callers add anything else to the target afterwards.
function(frame_tracking_add_component component)
  cmake_parse_arguments(C "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  if(NOT C_SOURCES)
    file(GLOB C_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  endif()
  set(target frame_tracking_${component})
  add_library(${target} ${C_SOURCES})
  add_library(frame_tracking::${component} ALIAS ${target})
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${target} EXPORT_NAME ${component})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${target} PUBLIC ${C_PUBLIC} PRIVATE ${C_PRIVATE} frame_tracking_warnings)
endfunction()
