# SPDX-License-Identifier: Apache-2.0
# CPack: one Debian package `frame-tracking` with the CLI, the libraries, headers, CMake package and pkg-config file.
#
# `cpack -G DEB` in the build tree writes frame-tracking_<version>_<arch>.deb. Depends comes from
# dpkg-shlibdeps (the shared libraries the CLI really loads); the -dev packages a user needs to build against
# the static libraries and headers are listed under Recommends.
set(CPACK_PACKAGE_NAME frame-tracking)
set(CPACK_PACKAGE_VENDOR "frame-tracking")
set(CPACK_PACKAGE_CONTACT "frame-tracking maintainers <frame-tracking@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_README ${PROJECT_SOURCE_DIR}/README.md)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Per-frame distributed tracing for video pipelines.\n The frame-tracking CLI (service with OTLP receiver, SQLite store and Jaeger query API;\n journey and analyzer tools), the C++20 libraries, headers, CMake package and pkg-config file.")
# What building against the installed static libraries needs, per component that was built.
set(recommends nlohmann-json3-dev)
foreach(pair otlp:libcurl4-openssl-dev otlp:libprotobuf-dev otlp:zlib1g-dev store:libsqlite3-dev
             store:libcpp-httplib-dev store:libprotobuf-dev redis:libhiredis-dev rabbitmq:librabbitmq-dev
             capture:libavformat-dev capture:libavcodec-dev capture:libswscale-dev metrics:prometheus-cpp-dev)
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 component)
  list(GET pair 1 dev_package)
  if(TARGET frame_tracking_${component})
    list(APPEND recommends ${dev_package})
  endif()
endforeach()
list(REMOVE_DUPLICATES recommends)
string(REPLACE ";" ", " CPACK_DEBIAN_PACKAGE_RECOMMENDS "${recommends}")
include(CPack)
